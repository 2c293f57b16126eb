declare module 'ahocorasick' {
  /** Aho–Corasick automaton; `search` returns [index of the match's last character, keywords]. */
  export default class AhoCorasick {
    constructor(keywords: string[]);
    search(text: string): Array<[number, string[]]>;
  }
}
