import { createHash } from 'node:crypto';
import { terms, words } from './text.js';

/**
 * The triage classifier: TF-IDF features and a multinomial logistic regression per question (topic,
 * lead organisation), trained from scratch on one partnership's own concerns.
 *
 * Why this model: a partnership has hundreds to a few thousand triaged concerns, short texts and a
 * handful of labels. Linear models on TF-IDF are the strong, well-understood baseline for exactly
 * that; logistic regression (unlike naive Bayes, whose probabilities are famously overconfident)
 * gives probabilities that mean something, and a temperature fitted on held-back data brings them
 * closer still. That matters more here than a point of accuracy, because the confidence decides
 * whether staff see a suggestion at all. It is small enough to read in one sitting, trains in well
 * under a second, and stores as JSON in the partnership's own row, with no library to keep up.
 */

export const HEADS = ['topic', 'lead'] as const;
export type HeadName = (typeof HEADS)[number];

export interface Example {
  /** A stable id: decides, by hash, which examples are held back for evaluation. */
  id: string;
  text: string;
  topic?: string | null | undefined;
  lead?: string | null | undefined;
  /** Staff decisions count more than labels nobody checked against a suggestion. */
  weight?: number;
}

export interface SerialisedHead {
  labels: string[];
  /** labels × vocabulary, row-major, rounded. */
  weights: number[][];
  bias: number[];
  temperature: number;
}

export interface SerialisedClassifier {
  version: 1;
  vocabulary: string[];
  idf: number[];
  heads: Partial<Record<HeadName, SerialisedHead>>;
}

export interface Guess {
  label: string;
  confidence: number;
}

export type Withheld = 'noModel' | 'unfamiliarText' | 'lowConfidence';

export interface Prediction {
  topic?: Guess | undefined;
  lead?: Guess | undefined;
  /** Set when neither head makes a suggestion. */
  withheld?: Withheld | undefined;
}

export interface TrainingOptions {
  /** Below this many labelled examples a head is not trained: better no suggestion than a guess. */
  minExamples?: number;
  /** Labels with fewer examples than this are left out (never suggested). */
  minPerLabel?: number;
  /** Terms must appear in at least this many documents. */
  minDocumentFrequency?: number;
  maxVocabulary?: number;
  iterations?: number;
  l2?: number;
}

export const DEFAULTS = {
  minExamples: 30,
  minPerLabel: 3,
  minDocumentFrequency: 2,
  maxVocabulary: 4000,
  iterations: 120,
  l2: 1e-4,
  /** The least confidence worth showing to staff. */
  threshold: 0.55,
  /** A text needs this many words the model knows, and this share of its words known. */
  minKnownWords: 2,
  minKnownShare: 0.4,
} as const;

/** A sparse, L2-normalised TF-IDF vector: parallel index and value arrays. */
interface SparseVector {
  index: number[];
  value: number[];
}

function vectorise(text: string, lookup: Map<string, number>, idf: readonly number[]): SparseVector {
  const counts = new Map<number, number>();
  for (const term of terms(text)) {
    const i = lookup.get(term);
    if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  const index = [...counts.keys()];
  const value = index.map((i) => (1 + Math.log(counts.get(i)!)) * idf[i]!);
  const norm = Math.hypot(...value) || 1;
  return { index, value: value.map((v) => v / norm) };
}

function logits(head: { weights: number[][]; bias: number[] }, x: SparseVector): number[] {
  return head.bias.map((b, k) => {
    const w = head.weights[k]!;
    let z = b;
    for (let j = 0; j < x.index.length; j++) z += w[x.index[j]!]! * x.value[j]!;
    return z;
  });
}

function softmax(z: readonly number[], temperature = 1): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp((v - max) / temperature));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

/** Lets the server answer requests between training steps, so retraining never stalls a page. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Multinomial logistic regression, full-batch gradient descent with Adam and L2 regularisation. */
async function fitHead(
  xs: readonly SparseVector[],
  ys: readonly number[],
  weights: readonly number[],
  labelCount: number,
  vocabularySize: number,
  options: { iterations: number; l2: number },
): Promise<{ weights: number[][]; bias: number[] }> {
  const W = Array.from({ length: labelCount }, () => new Float64Array(vocabularySize));
  const b = new Float64Array(labelCount);
  const mW = W.map(() => new Float64Array(vocabularySize));
  const vW = W.map(() => new Float64Array(vocabularySize));
  const mb = new Float64Array(labelCount);
  const vb = new Float64Array(labelCount);
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const [rate, beta1, beta2, eps] = [0.1, 0.9, 0.999, 1e-8];
  const gW = W.map(() => new Float64Array(vocabularySize));
  const gb = new Float64Array(labelCount);
  const p = new Float64Array(labelCount);
  for (let t = 1; t <= options.iterations; t++) {
    await breathe();
    for (const g of gW) g.fill(0);
    gb.fill(0);
    for (let n = 0; n < xs.length; n++) {
      const x = xs[n]!;
      // Softmax of the logits, written out: this loop is nearly all of the training time.
      let max = -Infinity;
      for (let k = 0; k < labelCount; k++) {
        const w = W[k]!;
        let z = b[k]!;
        for (let j = 0; j < x.index.length; j++) z += w[x.index[j]!]! * x.value[j]!;
        p[k] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let k = 0; k < labelCount; k++) sum += p[k] = Math.exp(p[k]! - max);
      const scale = weights[n]! / totalWeight;
      for (let k = 0; k < labelCount; k++) {
        const diff = (p[k]! / sum - (ys[n] === k ? 1 : 0)) * scale;
        gb[k]! += diff;
        const g = gW[k]!;
        for (let j = 0; j < x.index.length; j++) g[x.index[j]!]! += diff * x.value[j]!;
      }
    }
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let k = 0; k < labelCount; k++) {
      const w = W[k]!;
      const g = gW[k]!;
      const m = mW[k]!;
      const v = vW[k]!;
      for (let j = 0; j < vocabularySize; j++) {
        const grad = g[j]! + options.l2 * w[j]!;
        m[j] = beta1 * m[j]! + (1 - beta1) * grad;
        v[j] = beta2 * v[j]! + (1 - beta2) * grad * grad;
        w[j]! -= (rate * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + eps);
      }
      mb[k] = beta1 * mb[k]! + (1 - beta1) * gb[k]!;
      vb[k] = beta2 * vb[k]! + (1 - beta2) * gb[k]! * gb[k]!;
      b[k]! -= (rate * (mb[k]! / c1)) / (Math.sqrt(vb[k]! / c2) + eps);
    }
  }
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return { weights: W.map((w) => Array.from(w, round)), bias: Array.from(b, round) };
}

/** Whether an example is held back for evaluation: a fifth of them, chosen by a hash of the id. */
export function isHeldOut(id: string): boolean {
  return createHash('sha256').update(id).digest()[0]! % 5 === 0;
}

function buildVocabulary(texts: readonly string[], options: Required<TrainingOptions>) {
  const df = new Map<string, number>();
  for (const text of texts) for (const term of new Set(terms(text))) df.set(term, (df.get(term) ?? 0) + 1);
  const vocabulary = [...df.entries()]
    .filter(([, n]) => n >= options.minDocumentFrequency)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxVocabulary)
    .map(([term]) => term)
    .sort();
  const idf = vocabulary.map((term) => Math.log((1 + texts.length) / (1 + df.get(term)!)) + 1);
  return { vocabulary, idf };
}

/** Trains a classifier on `examples`; heads without enough labelled data are left out. */
export async function train(
  examples: readonly Example[],
  opts: TrainingOptions = {},
): Promise<SerialisedClassifier> {
  const options = { ...DEFAULTS, ...opts } as Required<TrainingOptions>;
  const { vocabulary, idf } = buildVocabulary(
    examples.map((e) => e.text),
    options,
  );
  const lookup = new Map(vocabulary.map((t, i) => [t, i]));
  const heads: SerialisedClassifier['heads'] = {};
  for (const name of HEADS) {
    const labelled = examples.filter((e) => typeof e[name] === 'string' && e[name] !== '');
    const counts = new Map<string, number>();
    for (const e of labelled) counts.set(e[name]!, (counts.get(e[name]!) ?? 0) + 1);
    const labels = [...counts.entries()]
      .filter(([, n]) => n >= options.minPerLabel)
      .map(([l]) => l)
      .sort();
    const usable = labelled.filter((e) => labels.includes(e[name]!));
    if (usable.length < options.minExamples || labels.length < 2 || vocabulary.length === 0) continue;
    const fitted = await fitHead(
      usable.map((e) => vectorise(e.text, lookup, idf)),
      usable.map((e) => labels.indexOf(e[name]!)),
      usable.map((e) => e.weight ?? 1),
      labels.length,
      vocabulary.length,
      options,
    );
    heads[name] = { labels, ...fitted, temperature: 1 };
  }
  return { version: 1, vocabulary, idf: idf.map((v) => Math.round(v * 1e4) / 1e4), heads };
}

/** Compiled for prediction: the term lookup built once. */
export interface Classifier {
  model: SerialisedClassifier;
  lookup: Map<string, number>;
}

export function compile(model: SerialisedClassifier): Classifier {
  return { model, lookup: new Map(model.vocabulary.map((t, i) => [t, i])) };
}

/** Each head's probabilities for a text, or why the text is not one the model can judge. */
export function probabilities(
  classifier: Classifier,
  text: string,
): { ok: true; heads: Partial<Record<HeadName, number[]>> } | { ok: false; withheld: Withheld } {
  const { model, lookup } = classifier;
  if (Object.keys(model.heads).length === 0) return { ok: false, withheld: 'noModel' };
  // Text in another language or script shares few or no words with what the model learnt from; its
  // probabilities would be an artefact of the bias terms, so it gets no suggestion at all.
  const w = words(text);
  const known = w.filter((x) => lookup.has(x)).length;
  if (known < DEFAULTS.minKnownWords || known < DEFAULTS.minKnownShare * w.length)
    return { ok: false, withheld: 'unfamiliarText' };
  const x = vectorise(text, lookup, model.idf);
  const heads: Partial<Record<HeadName, number[]>> = {};
  for (const name of HEADS) {
    const head = model.heads[name];
    if (head) heads[name] = softmax(logits(head, x), head.temperature);
  }
  return { ok: true, heads };
}

export function predict(
  classifier: Classifier,
  text: string,
  threshold: number = DEFAULTS.threshold,
): Prediction {
  const p = probabilities(classifier, text);
  if (!p.ok) return { withheld: p.withheld };
  const guess = (name: HeadName): Guess | undefined => {
    const probs = p.heads[name];
    const head = classifier.model.heads[name];
    if (!probs || !head) return undefined;
    const best = probs.indexOf(Math.max(...probs));
    return probs[best]! >= threshold ? { label: head.labels[best]!, confidence: probs[best]! } : undefined;
  };
  const topic = guess('topic');
  const lead = guess('lead');
  return { topic, lead, withheld: topic || lead ? undefined : 'lowConfidence' };
}

/**
 * The temperature that makes held-back probabilities most likely (a 1-D search; the loss is convex).
 * It may soften the model's probabilities but never sharpen them: with a small, easy held-back set
 * the best fit would claim near-certainty the next, harder concern does not deserve.
 */
function fitTemperature(probsAndTruth: { logits: number[]; truth: number }[]): number {
  if (probsAndTruth.length === 0) return 1;
  const loss = (t: number) =>
    probsAndTruth.reduce((s, { logits: z, truth }) => s - Math.log(softmax(z, t)[truth]! + 1e-12), 0);
  let [lo, hi] = [1, 10];
  for (let i = 0; i < 60; i++) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (loss(m1) < loss(m2)) hi = m2;
    else lo = m1;
  }
  return Math.round(((lo + hi) / 2) * 1000) / 1000;
}

export interface HeadEvaluation {
  heldOut: number;
  /** Share of held-back examples whose best guess was right, suggested or not. */
  accuracy: number;
  /** Share where the model was confident enough to suggest. */
  coverage: number;
  /** Share right among those it suggested: what staff actually see. */
  accuracyWhenSuggested: number;
  /** Always guessing the commonest label: the bar the model must clear to be worth anything. */
  baseline: number;
  labels: { label: string; examples: number; correct: number }[];
}

export interface Evaluation {
  examples: number;
  heldOut: number;
  heads: Partial<Record<HeadName, HeadEvaluation>>;
}

/**
 * Trains on four fifths of the examples and measures on the rest; then trains again on all of them,
 * carrying over the temperatures fitted on the held-back part, for the model that is used.
 */
export async function trainAndEvaluate(
  examples: readonly Example[],
  opts: TrainingOptions & { threshold?: number } = {},
): Promise<{ model: SerialisedClassifier; evaluation: Evaluation }> {
  const threshold = opts.threshold ?? DEFAULTS.threshold;
  const trainingPart = examples.filter((e) => !isHeldOut(e.id));
  const heldOut = examples.filter((e) => isHeldOut(e.id));
  const trial = await train(trainingPart, opts);
  const classifier = compile(trial);
  const evaluation: Evaluation = { examples: examples.length, heldOut: heldOut.length, heads: {} };
  const temperatures: Partial<Record<HeadName, number>> = {};
  for (const name of HEADS) {
    const head = trial.heads[name];
    if (!head) continue;
    const scored = heldOut
      .filter((e) => typeof e[name] === 'string' && head.labels.includes(e[name]!))
      .map((e) => ({ e, truth: head.labels.indexOf(e[name]!) }));
    const withLogits = scored.map(({ e, truth }) => ({
      truth,
      logits: logits(head, vectorise(e.text, classifier.lookup, trial.idf)),
    }));
    const temperature = fitTemperature(withLogits);
    temperatures[name] = temperature;
    head.temperature = temperature;
    let correct = 0;
    let suggested = 0;
    let suggestedCorrect = 0;
    const perLabel = new Map(head.labels.map((l) => [l, { label: l, examples: 0, correct: 0 }]));
    for (const { e, truth } of scored) {
      const p = probabilities(classifier, e.text);
      const probs = p.ok ? p.heads[name]! : undefined;
      const best = probs ? probs.indexOf(Math.max(...probs)) : -1;
      const right = best === truth;
      const row = perLabel.get(head.labels[truth]!)!;
      row.examples++;
      if (right) {
        correct++;
        row.correct++;
      }
      if (probs && probs[best]! >= threshold) {
        suggested++;
        if (right) suggestedCorrect++;
      }
    }
    const commonest = Math.max(0, ...[...perLabel.values()].map((r) => r.examples));
    const n = scored.length;
    evaluation.heads[name] = {
      heldOut: n,
      accuracy: n ? correct / n : 0,
      coverage: n ? suggested / n : 0,
      accuracyWhenSuggested: suggested ? suggestedCorrect / suggested : 0,
      baseline: n ? commonest / n : 0,
      labels: [...perLabel.values()],
    };
  }
  const model = await train(examples, opts);
  for (const name of HEADS) {
    const head = model.heads[name];
    if (head && temperatures[name] !== undefined) head.temperature = temperatures[name];
  }
  return { model, evaluation };
}
