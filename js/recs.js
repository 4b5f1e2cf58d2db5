// <hearth-recs>: a recommendation slot. What the publisher put inside the
// element (typically a server-rendered list in the non-personal order) is what
// readers without personalization see; the loader replaces it with the
// reader's recommendations when personalization is on and puts it back when it
// is switched off. Catalogue text only ever reaches the page as textContent,
// and only http(s) and site-relative links are rendered.
//
// Every recommendation carries a "Why this?" button (aria-expanded,
// aria-controls) that shows the engine's reasons for it. Text is shown
// without bidi controls and zero-width marks (plain).

import { defaultCount, maxCount } from './ops.gen.js';

/**
 * @typedef {import('./hearth.js').Recommendation} Recommendation
 */

/** The element's tag name. */
export const tagName = 'hearth-recs';

/**
 * Returns url when it is safe as a link (http, https or same-site relative),
 * otherwise null: a javascript: or data: link would run in the page.
 * @param {unknown} url
 * @returns {string | null}
 */
export function safeURL(url) {
  if (typeof url !== 'string' || url === '') return null;
  try {
    const u = new URL(url, document.baseURI);
    return u.protocol === 'https:' || u.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

// Characters that change how the text around them is laid out while
// showing nothing themselves: the bidi embeddings, overrides and isolates
// (U+202A-U+202E, U+2066-U+2069), with which a title can make a link's text
// read reversed, and the zero-width space, word joiner and byte order mark
// (U+200B, U+2060, U+FEFF). The zero-width non-joiner and joiner (U+200C,
// U+200D) stay: Persian, Indic scripts and emoji need them, and they move
// nothing. The builder strips the same characters (build/pack plain.go,
// TestPlain_SameAsJS); catalogues from elsewhere may still carry them.
const hiddenMarks = /[\u200B\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/g;

/**
 * Returns catalogue or profile text without the characters of hiddenMarks,
 * for textContent and labels.
 * @param {unknown} text
 * @returns {string}
 */
export function plain(text) {
  return String(text).replace(hiddenMarks, '');
}

let nextWhy = 1;

/**
 * Returns a "Why this?" button and the list of reasons it shows and hides.
 * @param {import('./hearth.js').Reason[]} reasons
 * @returns {[HTMLButtonElement, HTMLUListElement]}
 */
function whyThis(reasons) {
  const list = document.createElement('ul');
  list.className = 'hearth-reason';
  list.id = `hearth-why-${nextWhy++}`;
  list.hidden = true;
  const texts = reasons.length ? reasons.map((r) => r.text) : ["The site's usual order: nothing personal."];
  for (const text of texts) {
    const li = document.createElement('li');
    li.textContent = plain(text);
    list.append(li);
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'hearth-why';
  button.textContent = 'Why this?';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', list.id);
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    list.hidden = !open;
  });
  return [button, list];
}

/**
 * Defines <hearth-recs>. onConnect is called with each element as it joins
 * the document, so the loader can fill it.
 * @param {(el: HearthRecs) => void} onConnect
 */
export function defineRecs(onConnect) {
  if (customElements.get(tagName)) return;
  inheritFont();
  customElements.define(tagName, class extends HearthRecs {
    connectedCallback() {
      super.connectedCallback();
      onConnect(this);
    }
  });
}

/**
 * Makes the "Why this?" buttons take the page's font. A button's own font
 * is the system's UI font, which a page often has not used yet: finding it
 * made the first frame with recommendations a long task (style and layout
 * 43 ms of a 54 ms frame in the browser benchmark; a button's first layout
 * 3-24 ms against 1-8 ms with the page's font). :where() gives the rule no
 * specificity, so any rule of the publisher's for the buttons wins; a
 * constructed sheet needs no inline style, which a page's CSP may forbid.
 */
function inheritFont() {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(':where(button.hearth-why){font:inherit}');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // Without constructed sheets the buttons keep the browser's font.
  }
}

export class HearthRecs extends HTMLElement {
  connectedCallback() {
    if (!this.fallback) {
      this.fallback = Array.from(this.childNodes, (n) => n.cloneNode(true));
      this.dataset.hearthState = 'fallback';
    }
  }

  /** The number of items to show: the count attribute, the engine's default without one. */
  get count() {
    const n = parseInt(this.getAttribute('count') || '', 10);
    return n > 0 && n <= maxCount ? n : defaultCount;
  }

  /** The slot name publishers use to tell slots apart. */
  get slotName() {
    return this.getAttribute('slot-name') || (this.related ? 'related' : 'default');
  }

  /** Whether the slot recommends around the current page's item. */
  get related() {
    return this.hasAttribute('related');
  }

  /**
   * Shows recommendations in place of the fallback.
   * @param {Recommendation[]} recs
   */
  show(recs) {
    const list = document.createElement('ol');
    list.className = 'hearth-list';
    /** @type {Recommendation[]} */
    const shown = [];
    for (const rec of recs) {
      const href = safeURL(rec.url);
      if (!href) continue;
      shown.push(rec);
      const li = document.createElement('li');
      li.className = 'hearth-item';
      const a = document.createElement('a');
      a.href = href;
      a.textContent = plain(rec.title);
      a.dataset.hearthId = String(rec.id);
      li.append(a, ' ', ...whyThis(Array.isArray(rec.reasons) ? rec.reasons : []));
      list.append(li);
    }
    this.recommendations = shown;
    this.shown = JSON.stringify(recs);
    this.replaceChildren(list);
    this.dataset.hearthState = 'personal';
  }

  /**
   * Whether recs is the list shown, as the engine answered it.
   * @param {Recommendation[]} recs
   */
  same(recs) {
    return this.dataset.hearthState === 'personal' && this.shown === JSON.stringify(recs);
  }

  /** Puts the publisher's non-personal content back. */
  reset() {
    if (this.dataset.hearthState === 'fallback') return;
    this.recommendations = undefined;
    this.shown = undefined;
    this.replaceChildren(...(this.fallback || []).map((n) => n.cloneNode(true)));
    this.dataset.hearthState = 'fallback';
  }
}
