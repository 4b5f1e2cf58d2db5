// Consent: the one owner of the reader's choice. The choice is one record,
// the "consent" key of Hearth's IndexedDB store ('granted' or 'denied';
// absent while the reader has not chosen), and this module is the only code
// that reads or writes it. The loader asks it whether personalization is on
// and tells it what the reader chose; the Worker and the engine keep no copy
// (the Worker is told the decision when it starts, and exists only while it
// is on). <hearth-consent> asks the reader through the loader, and stores
// nothing of its own.
//
// The rule, in order:
//   1. the reader's grant: on, even with Global Privacy Control (their own
//      word for this site outweighs a browser-wide signal);
//   2. the reader's denial: off;
//   3. Global Privacy Control: off;
//   4. the publisher's default (data-consent): opt-out on, opt-in off.
//
// With data-consent="tcf" the site's consent management platform decides
// instead, through the IAB TCF v2.2 API (__tcfapi): on while the reader
// consented to purposes 1, 5 and 6 (store information on a device, create
// and use a personalised content profile), unless the reader switched
// Hearth off (rule 2) or Global Privacy Control is on; off while the CMP
// has not answered. Where GDPR does not apply (gdprApplies false) the rule
// above holds with the publisher's fallback (data-consent-fallback,
// opt-in unless it says opt-out).

import * as store from './store.js';

/**
 * @typedef {import('./hearth.js').Consent} Consent
 * @typedef {'opt-in' | 'opt-out'} Mode the publisher's default
 * @typedef {Mode | 'tcf'} Source what decides: a default, or the CMP
 * @typedef {Consent | 'pending' | 'fallback'} CMPSignal what the CMP said:
 *   its decision, nothing yet, or that GDPR does not apply
 */

/**
 * The TCF purposes personalization needs: 1 store and/or access
 * information on a device, 5 create profiles for personalised content,
 * 6 use profiles to select personalised content.
 */
export const tcfPurposes = [1, 5, 6];

/**
 * Decides whether personalization is on.
 * @param {Consent | undefined} choice the reader's recorded choice
 * @param {Mode} mode the publisher's default
 * @param {boolean} gpc whether Global Privacy Control is on
 * @param {CMPSignal} [cmp] the CMP's signal, when a CMP decides
 * @returns {Consent}
 */
export function decide(choice, mode, gpc, cmp = 'fallback') {
  if (cmp !== 'fallback') return cmp === 'granted' && choice !== 'denied' && !gpc ? 'granted' : 'denied';
  if (choice === 'granted') return 'granted';
  if (choice === 'denied' || gpc) return 'denied';
  return mode === 'opt-out' ? 'granted' : 'denied';
}

/**
 * What a TCF v2.2 addEventListener callback says, given the last signal.
 * @param {any} tcData
 * @param {boolean} success
 * @param {CMPSignal} last
 * @returns {CMPSignal}
 */
export function readTCData(tcData, success, last) {
  if (!success || !tcData) return 'denied';
  if (tcData.gdprApplies === false) return 'fallback';
  // cmpuishown carries a TC string with every consent false while the
  // reader decides: the last decision holds until useractioncomplete.
  if (tcData.eventStatus !== 'tcloaded' && tcData.eventStatus !== 'useractioncomplete') return last;
  const consents = (tcData.purpose && tcData.purpose.consents) || {};
  return tcfPurposes.every((p) => consents[p] === true) ? 'granted' : 'denied';
}

/**
 * The page's consent: the reader's choice as recorded, with the page's
 * default and Global Privacy Control.
 */
export class PageConsent {
  /**
   * @param {Source} source what decides (data-consent)
   * @param {boolean} gpc whether Global Privacy Control is on
   * @param {Mode} [fallback] the default where a CMP says GDPR does not apply
   */
  constructor(source, gpc, fallback = 'opt-in') {
    /** @type {Mode} */
    this.mode = source === 'tcf' ? fallback : source;
    this.gpc = gpc;
    /** @type {Consent | undefined} the reader's choice, as last read or written */
    this.choice = undefined;
    /** @type {CMPSignal} the CMP's signal; 'fallback' without a CMP */
    this.cmp = source === 'tcf' ? 'pending' : 'fallback';
  }

  /** Whether personalization is on. */
  get state() {
    return decide(this.choice, this.mode, this.gpc, this.cmp);
  }

  /**
   * Why the reader's grant would not switch personalization on (a CMP
   * without consent, or GPC under a CMP), or ''.
   */
  get refusal() {
    if (decide('granted', this.mode, this.gpc, this.cmp) === 'granted') return '';
    return this.gpc ? 'Global Privacy Control is on' : 'the consent management platform has no consent for TCF purposes 1, 5 and 6';
  }

  /**
   * Whether the reader is to be asked (<hearth-consent>): they have not
   * chosen, Global Privacy Control has not answered for them, and no CMP
   * asks instead.
   */
  get ask() {
    return this.choice === undefined && !this.gpc && this.cmp === 'fallback';
  }

  /**
   * Follows the page's CMP through the TCF v2.2 API. Resolves false at once
   * without one (personalization stays off), otherwise true at the CMP's
   * first answer; onChange runs at each later change of its signal.
   * @param {() => void} onChange
   * @returns {Promise<boolean>}
   */
  followCMP(onChange) {
    const api = /** @type {{__tcfapi?: Function}} */ (/** @type {unknown} */ (window)).__tcfapi;
    if (typeof api !== 'function') {
      this.cmp = 'denied';
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      let answered = false;
      try {
        api('addEventListener', 2, (/** @type {any} */ tcData, /** @type {boolean} */ success) => {
          const next = readTCData(tcData, success, this.cmp);
          const changed = next !== this.cmp;
          this.cmp = next;
          if (!answered) {
            answered = true;
            resolve(true);
          } else if (changed) {
            onChange();
          }
        });
      } catch {
        this.cmp = 'denied';
        resolve(true);
      }
    });
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
   * a denial is the absence of data. Where the absence of data means on (an
   * opt-out default without GPC, a CMP's grant) the denial alone is stored,
   * or the next page would switch personalization back on against the
   * reader's word; so it is when the reader answered <hearth-consent>
   * (answered), or the next page would ask again.
   * @param {boolean} [answered] the denial answers <hearth-consent>
   */
  async deny(answered = false) {
    this.choice = 'denied';
    await store.remove();
    if (answered || decide(undefined, this.mode, this.gpc, this.cmp) === 'granted') {
      await store.write({ [store.Key.consent]: 'denied' });
    }
  }

  /** Forgets the choice, once everything stored was deleted (clear). */
  forget() {
    this.choice = undefined;
  }
}
