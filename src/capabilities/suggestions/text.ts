/**
 * Turning what a resident wrote into the words the classifier counts. Deliberately simple and
 * predictable: lower case, letters and digits only, common English words dropped, a light plural
 * and -ing/-ed trim so "lights", "lighting" and "lit" do not all count apart, plus word pairs
 * ("street light", "bus stop") which carry much of the meaning in short texts.
 */

/** Common English words that say nothing about the topic or who should lead. */
export const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before
  being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
  down during each even ever every few for from further get gets getting got had hadn't has hasn't have
  haven't having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd
  i'll i'm i've if in into is isn't it it's its itself just let's like lot lots me more most much mustn't
  my myself near no nor not now of off on once one only or other ought our ours ourselves out over own
  please really same shan't she she'd she'll she's should shouldn't since so some still such than thank
  thanks that that's the their theirs them themselves then there there's these they they'd they'll they're
  they've this those though through to too under until up upon us very via was wasn't we we'd we'll we're
  we've were weren't what what's when when's where where's which while who who's whom why why's will with
  within without won't would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
  dear hi hello regards kind sir madam thank`
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/'/g, '')),
);

/** A light suffix trim (not a full stemmer): enough to join the commonest forms of a word. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The words of a text, in order: lower case, stop words and one-letter words dropped, trimmed. */
export function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !/^\d+$/.test(w) && !STOP_WORDS.has(w))
    .map(stem);
}

/** Words and adjacent word pairs: the terms a document is counted by. */
export function terms(text: string): string[] {
  const w = words(text);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < w.length; i++) pairs.push(`${w[i]} ${w[i + 1]}`);
  return [...w, ...pairs];
}
