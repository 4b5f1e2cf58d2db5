// <hearth-consent>: the reader's consent prompt. It comes with the loader;
// put it at the start of <body>, where keyboard users reach it first:
//
//   <hearth-consent></hearth-consent>
//
// While the reader has not chosen, it asks in plain words, with two
// buttons; once they chose (here, on <hearth-profile> or through the API)
// it hides. It never asks under Global Privacy Control, which has answered
// for the reader, nor where a consent management platform decides
// (data-consent="tcf"). It stores nothing itself: the loader records the
// answer through consent.js, the owner of the choice.
//
// It shifts no layout: the prompt is an overlay fixed to the bottom of the
// viewport, so showing and hiding it moves nothing on the page, and until
// the loader knows whether to ask it has no box at all. It does not take
// focus on load; its buttons are in the page's tab order where the element
// stands, and the outcome is announced in a status line.
//
// Themable: the custom properties --hearth-consent-bg, -color, -accent,
// -accent-color, -border and -radius, and the parts region, text, actions,
// button, accept and decline (hearth-consent::part(region) { max-width:
// 30rem }). Its styles are a constructed sheet, which a page's style-src
// policy does not block.

/** The element's tag name. */
export const consentTagName = 'hearth-consent';

/**
 * What the element needs of the loader.
 * @typedef {object} Prompt
 * @property {() => boolean} ask whether to ask the reader now
 * @property {() => boolean} on whether personalization is on by default
 *   (the words differ: asking to switch on, or telling it is on)
 * @property {(answer: import('./hearth.js').Consent) => Promise<void>} answer
 *   records the reader's answer
 */

// The host is a zero-height box fixed to the bottom of the viewport that
// lets clicks through; only the region takes them.
const css = `:host{position:fixed;inset:auto .75rem .75rem;z-index:2147483000;pointer-events:none;display:block;--a:var(--hearth-consent-accent,#0b6bcb)}
[hidden]{display:none!important}
[part~=region]{pointer-events:auto;max-width:40rem;margin:auto;padding:.75rem 1rem;background:var(--hearth-consent-bg,#fff);color:var(--hearth-consent-color,#1f2328);border:var(--hearth-consent-border,1px solid #d0d7de);border-radius:var(--hearth-consent-radius,.5rem);box-shadow:0 .25rem 1rem #0003}
p{margin:0 0 .6rem}
[part~=actions]{display:flex;flex-wrap:wrap;gap:.5rem}
button{font:inherit;cursor:pointer;padding:.35rem .9rem;border-radius:.35rem;border:1px solid var(--a);background:none;color:inherit}
[part~=accept]{background:var(--a);color:var(--hearth-consent-accent-color,#fff)}
button:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.status{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}`;

const words = 'Hearth suggests what to read next from what you read on this site, learning in this browser only: nothing about your reading is sent anywhere.';

// The loader's side, set by defineConsent before it defines the element.
/** @type {Prompt} */
let prompt;

/**
 * Defines <hearth-consent> on top of the loader's prompt. update() tells
 * every element to look again (after consent was read or changed).
 * @param {Prompt} p
 * @returns {() => void} update
 */
export function defineConsent(p) {
  prompt = p;
  if (!customElements.get(consentTagName)) customElements.define(consentTagName, HearthConsent);
  return () => {
    for (const el of document.querySelectorAll(consentTagName)) /** @type {HearthConsent} */ (el).update();
  };
}

/**
 * @param {string} tag
 * @param {string} part
 * @param {string} [text]
 */
function make(tag, part, text) {
  const e = document.createElement(tag);
  if (part) e.setAttribute('part', part);
  if (text) e.textContent = text;
  return e;
}

class HearthConsent extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch {
      // Without constructed sheets the prompt is unstyled, and in the flow
      // of the page: it shows only once the reader can be asked.
    }
    this.region = make('div', 'region');
    this.region.setAttribute('role', 'region');
    this.region.setAttribute('aria-label', 'Personalization');
    this.region.hidden = true;
    this.text = make('p', 'text', words);
    this.accept = /** @type {HTMLButtonElement} */ (make('button', 'button accept'));
    this.decline = /** @type {HTMLButtonElement} */ (make('button', 'button decline'));
    const actions = make('div', 'actions');
    for (const [b, answer] of /** @type {const} */ ([[this.accept, 'granted'], [this.decline, 'denied']])) {
      b.type = 'button';
      b.dataset.consent = answer;
      b.addEventListener('click', () => this.choose(answer));
      actions.append(b);
    }
    this.region.append(this.text, actions);
    this.status = make('p', '');
    this.status.className = 'status';
    this.status.setAttribute('role', 'status');
    root.append(this.region, this.status);
    this.dataset.hearthState = 'hidden';
  }

  connectedCallback() {
    this.update();
  }

  /** Shows the prompt while the reader is to be asked, hides it otherwise. */
  update() {
    const ask = !!prompt && prompt.ask();
    if (ask) {
      const on = prompt.on();
      this.accept.textContent = on ? 'OK' : 'Personalize';
      this.decline.textContent = on ? 'Turn it off' : 'No, thanks';
    }
    this.region.hidden = !ask;
    this.dataset.hearthState = ask ? 'shown' : 'hidden';
  }

  /** @param {import('./hearth.js').Consent} answer */
  async choose(answer) {
    // Hidden at once, so a second click cannot answer twice; focus falls
    // back to the page, where the reader's next Tab continues after the
    // element.
    this.region.hidden = true;
    this.dataset.hearthState = 'hidden';
    try {
      await prompt.answer(answer);
      this.status.textContent = answer === 'granted' ? 'Personalization is on.' : 'Personalization is off.';
    } catch {
      // The loader reported it (hearth:error); the prompt asks again on
      // the next page, since nothing was recorded.
    }
    this.update();
  }
}
