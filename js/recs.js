// <hearth-recs>: a recommendation slot. What the publisher put inside the
// element (typically a server-rendered list in the non-personal order) is what
// readers without personalization see; the loader replaces it with the
// reader's recommendations when personalization is on and puts it back when it
// is switched off. Catalogue text only ever reaches the page as textContent.

/**
 * @typedef {import('./hearth.d.ts').Recommendation} Recommendation
 */

/** The element's tag name. */
export const tagName = 'hearth-recs';

/** Returns url when it is safe as a link (http, https or same-site relative). */
function safeURL(url) {
  try {
    const u = new URL(url, document.baseURI);
    return u.protocol === 'https:' || u.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Defines <hearth-recs>. onConnect is called with each element as it joins
 * the document, so the loader can fill it.
 * @param {(el: HearthRecs) => void} onConnect
 */
export function defineRecs(onConnect) {
  if (customElements.get(tagName)) return;
  customElements.define(tagName, class extends HearthRecs {
    connectedCallback() {
      super.connectedCallback();
      onConnect(this);
    }
  });
}

export class HearthRecs extends HTMLElement {
  connectedCallback() {
    if (!this.fallback) {
      this.fallback = Array.from(this.childNodes, (n) => n.cloneNode(true));
      this.dataset.hearthState = 'fallback';
    }
  }

  /** The number of items to show: the count attribute, 5 by default. */
  get count() {
    const n = parseInt(this.getAttribute('count') || '', 10);
    return n > 0 && n <= 100 ? n : 5;
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
    for (const rec of recs) {
      const href = safeURL(rec.url);
      if (!href) continue;
      const li = document.createElement('li');
      li.className = 'hearth-item';
      const a = document.createElement('a');
      a.href = href;
      a.textContent = rec.title;
      a.dataset.hearthId = rec.id;
      li.append(a);
      if (rec.reasons && rec.reasons.length) {
        const why = document.createElement('span');
        why.className = 'hearth-reason';
        why.textContent = rec.reasons.map((r) => r.text).join(' · ');
        li.append(' ', why);
      }
      list.append(li);
    }
    this.recommendations = recs;
    this.replaceChildren(list);
    this.dataset.hearthState = 'personal';
  }

  /** Puts the publisher's non-personal content back. */
  reset() {
    if (this.dataset.hearthState === 'fallback') return;
    this.recommendations = undefined;
    this.replaceChildren(...(this.fallback || []).map((n) => n.cloneNode(true)));
    this.dataset.hearthState = 'fallback';
  }
}
