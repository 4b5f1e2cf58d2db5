// Consent: the one owner of the reader's choice. The choice is one record,
// the "consent" key of Hearth's IndexedDB store ('granted' or 'denied';
// absent while the reader has not chosen), and this module is the only code
// that reads or writes it. The loader asks it whether personalization is on
// and tells it what the reader chose; the Worker and the engine keep no copy
// (the Worker is told the decision when it starts, and exists only while it
// is on).
//
// The rule, in order:
//   1. the reader's grant: on, even with Global Privacy Control (their own
//      word for this site outweighs a browser-wide signal);
//   2. the reader's denial: off;
//   3. Global Privacy Control: off;
//   4. the publisher's default (data-consent): opt-out on, opt-in off.

import * as store from './store.js';

/**
 * @typedef {import('./hearth.js').Consent} Consent
 * @typedef {'opt-in' | 'opt-out'} Mode the publisher's default
 */

/**
 * Decides whether personalization is on.
 * @param {Consent | undefined} choice the reader's recorded choice
 * @param {Mode} mode the publisher's default
 * @param {boolean} gpc whether Global Privacy Control is on
 * @returns {Consent}
 */
export function decide(choice, mode, gpc) {
  if (choice === 'granted') return 'granted';
  if (choice === 'denied' || gpc) return 'denied';
  return mode === 'opt-out' ? 'granted' : 'denied';
}

/**
 * The page's consent: the reader's choice as recorded, with the page's
 * default and Global Privacy Control.
 */
export class PageConsent {
  /**
   * @param {Mode} mode the publisher's default (data-consent)
   * @param {boolean} gpc whether Global Privacy Control is on
   */
  constructor(mode, gpc) {
    this.mode = mode;
    this.gpc = gpc;
    /** @type {Consent | undefined} the reader's choice, as last read or written */
    this.choice = undefined;
  }

  /** Whether personalization is on. */
  get state() {
    return decide(this.choice, this.mode, this.gpc);
  }

  /**
   * Reads the recorded choice, without creating the database. On failure
   * (IndexedDB missing or blocked) the choice stays unknown and the default
   * decides.
   */
  async load() {
    const stored = await store.read([store.Key.consent]);
    const c = stored[store.Key.consent];
    this.choice = c === 'granted' || c === 'denied' ? c : undefined;
  }

  /** Records the reader's grant. */
  async grant() {
    await store.write({ [store.Key.consent]: 'granted' });
    this.choice = 'granted';
  }

  /**
   * Records the reader's denial: everything Hearth stored is deleted, since
   * a denial is the absence of data. Under an opt-out default without GPC
   * the absence of data means on, so there the denial alone is stored, or
   * the next page would switch personalization back on against the
   * reader's word.
   */
  async deny() {
    this.choice = 'denied';
    await store.remove();
    if (decide(undefined, this.mode, this.gpc) === 'granted') {
      await store.write({ [store.Key.consent]: 'denied' });
    }
  }

  /** Forgets the choice, once everything stored was deleted (clear). */
  forget() {
    this.choice = undefined;
  }
}
