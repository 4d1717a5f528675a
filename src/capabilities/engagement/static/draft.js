/* global window, document, FormData */
// Keeps the engagement form in this device's storage until the server confirms it was saved, so a
// lost connection in the field loses nothing. Progressive enhancement only: without JavaScript the
// form still works, it just is not kept. The draft holds the form's idempotency key, so sending a
// restored draft whose first attempt did arrive finds that record instead of saving a second one.
const STORE = 'heard:engagement-draft';

function read() {
  try {
    const draft = JSON.parse(window.localStorage.getItem(STORE) || 'null');
    return draft && typeof draft === 'object' && Array.isArray(draft.fields) ? draft : null;
  } catch {
    return null;
  }
}

function write(form) {
  const fields = [];
  for (const [name, value] of new FormData(form)) {
    if (name !== '_csrf' && typeof value === 'string') fields.push([name, value]);
  }
  try {
    window.localStorage.setItem(STORE, JSON.stringify({ savedAt: new Date().toISOString(), fields }));
  } catch {
    // Storage full or refused (private browsing): the form still submits normally.
  }
}

function restore(form, draft) {
  const byName = new Map();
  for (const [name, value] of draft.fields) byName.set(name, [...(byName.get(name) || []), value]);
  for (const element of form.elements) {
    if (!element.name || element.name === '_csrf' || !byName.has(element.name)) continue;
    const values = byName.get(element.name);
    if (element.type === 'checkbox' || element.type === 'radio')
      element.checked = values.includes(element.value);
    else if (element.type !== 'submit' && element.type !== 'button') element.value = values[0];
  }
}

const saved = document.querySelector('[data-heard-draft-saved]');
if (saved) {
  const draft = read();
  const key = draft && draft.fields.find(([name]) => name === 'idempotencyKey');
  if (!draft || (key && key[1] === saved.getAttribute('data-heard-draft-saved'))) {
    window.localStorage.removeItem(STORE);
  }
}

const form = document.querySelector('form[data-heard-draft]');
if (form) {
  const draft = read();
  const notice = document.getElementById('draft-restored');
  // A fresh form takes the unsent draft back; a form returned with errors already holds what was sent.
  if (draft && form.getAttribute('data-heard-draft') === 'fresh') {
    restore(form, draft);
    if (notice) {
      notice.hidden = false;
      const discard = document.getElementById('draft-discard');
      if (discard) {
        discard.addEventListener('click', () => {
          window.localStorage.removeItem(STORE);
          window.location.reload();
        });
      }
    }
  }
  form.addEventListener('input', () => write(form));
  form.addEventListener('change', () => write(form));
  form.addEventListener('submit', () => write(form));
}
