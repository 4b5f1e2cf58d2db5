// <hearth-profile>: the reader's side of Hearth. It shows everything Hearth
// stores about the reader on this site, in plain words, and the controls to
// change it: the consent switch, the topics as a bar chart (inline SVG),
// the reading history with dates, the current recommendations with their
// reasons, deleting one history entry, forgetting or muting one topic, the
// variety slider, export (a JSON file), import (validated; a bad file is
// refused and changes nothing) and "delete everything".
//
//   <hearth-profile></hearth-profile>
//
// The element uses only the public API (hearth.d.ts). It renders into the
// light DOM so that the publisher's stylesheet applies; every control is a
// native button or input with a label, so it works from the keyboard.
// Catalogue and profile text reach the page only as textContent, and links
// only for http(s) and site-relative URLs.

// An import refuses files over maxImportBytes (profile.MaxJSONBytes);
// refusing them here first spares reading a large file into memory.
import { Code, kindWords, maxImportBytes } from './ops.gen.js';
import { plain, safeURL } from './recs.js';
import * as store from './store.js';

/**
 * @typedef {import('./hearth.js').Hearth} Hearth
 * @typedef {import('./hearth.js').ProfileView} ProfileView
 * @typedef {import('./hearth.js').Recommendation} Recommendation
 */

/** The element's tag name. */
export const profileTagName = 'hearth-profile';

const svgNS = 'http://www.w3.org/2000/svg';

// The format name an exported profile carries (profile.ExportFormat).
const exportFormat = 'hearth-profile';


// What the reader is told when the stored profile cannot be used.
const newerWords = "Your saved profile was made by a newer version of this site's Hearth; nothing is changed until the site updates.";
const damagedWords = 'Your saved profile was damaged and has been set aside; you can download it.';

// The API, set by defineProfile before it defines the element, so every
// element has it.
/** @type {Hearth} */
let api;

// Whether the Worker reported a stored profile of a newer release
// (profile-newer), which it leaves alone: the element then offers no
// change but "delete everything".
let newerStored = false;

/**
 * Defines <hearth-profile> on top of the given API.
 * @param {Hearth} hearth
 */
export function defineProfile(hearth) {
  api = hearth;
  // Listening from the start, before the Worker loads the profile: the
  // report comes once, maybe before an element renders.
  document.addEventListener('hearth:error', (e) => {
    if (e.detail.code !== Code.profileNewer) return;
    newerStored = true;
    for (const el of document.querySelectorAll(profileTagName)) {
      if (el instanceof HearthProfile && el.shell) el.refresh();
    }
  });
  if (!customElements.get(profileTagName)) customElements.define(profileTagName, HearthProfile);
}

/**
 * The stored profile the Worker set aside because it did not decode
 * ({value, time}), or null.
 * @returns {Promise<{value: unknown, time: number} | null>}
 */
async function setAside() {
  try {
    const rec = (await store.read([store.Key.corrupt]))[store.Key.corrupt];
    return rec && typeof rec === 'object' && 'value' in rec ? rec : null;
  } catch {
    return null;
  }
}

/**
 * The code of a rejected API call, or ''.
 * @param {unknown} err
 * @returns {string}
 */
function codeOf(err) {
  return err && typeof err === 'object' && 'code' in err ? String(err.code) : '';
}

/**
 * The message of a rejected API call.
 * @param {unknown} err
 * @returns {string}
 */
function messageOf(err) {
  return String((err instanceof Error && err.message) || err);
}

/**
 * Creates an element with a class and text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  // Catalogue and profile text is shown without bidi controls and
  // zero-width marks, which could make it read other than it is.
  if (text !== undefined) e.textContent = plain(text);
  return e;
}

/**
 * A button for one action. Its key lets focus return to it (or near it)
 * after the element renders again.
 * @param {string} text
 * @param {string} action what onClick does
 * @param {string} [value] the action's argument
 * @param {string} [label] the accessible name when text alone is ambiguous
 */
function button(text, action, value = '', label = '') {
  const b = el('button', 'hearth-button', text);
  b.type = 'button';
  b.dataset.action = action;
  b.dataset.key = value ? `${action}:${value}` : action;
  b.value = value;
  if (label) b.setAttribute('aria-label', plain(label));
  return b;
}

/**
 * A section with a heading that can take focus.
 * @param {string} part the data-part naming the section for styles and tests
 * @param {string} title
 */
function section(part, title) {
  const s = el('section', 'hearth-part');
  s.dataset.part = part;
  const h = el('h2', '', title);
  h.tabIndex = -1;
  s.append(h);
  return s;
}

/**
 * A link to a catalogue item, or its plain title when the URL is not safe.
 * @param {string} title empty once the item left the catalogue
 * @param {string} url
 * @param {string} id
 */
function itemLink(title, url, id) {
  const text = title || `an item no longer on this site (${id})`;
  const href = title ? safeURL(url) : null;
  if (!href) return el('span', 'hearth-title', text);
  const a = el('a', 'hearth-title', text);
  a.href = href;
  return a;
}

/**
 * The strength of an interest in words, relative to the strongest.
 * @param {number} weight
 * @param {number} strongest
 */
function strength(weight, strongest) {
  if (weight < 0) return 'you avoid this';
  const r = strongest > 0 ? weight / strongest : 0;
  if (r >= 0.66) return 'strong interest';
  if (r >= 0.33) return 'moderate interest';
  return 'slight interest';
}

/**
 * One horizontal bar, as inline SVG.
 * @param {number} fraction of the full width, in [0, 1]
 * @param {boolean} negative
 * @param {string} label what the bar says, for screen readers
 */
function bar(fraction, negative, label) {
  const width = 160;
  const svg = document.createElementNS(svgNS, 'svg');
  svg.setAttribute('class', 'hearth-bar');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', '12');
  svg.setAttribute('viewBox', `0 0 ${width} 12`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', plain(label));
  const track = document.createElementNS(svgNS, 'rect');
  track.setAttribute('class', 'hearth-bar-track');
  track.setAttribute('width', String(width));
  track.setAttribute('height', '12');
  track.setAttribute('rx', '3');
  track.setAttribute('fill', 'currentColor');
  track.setAttribute('fill-opacity', '0.12');
  const fill = document.createElementNS(svgNS, 'rect');
  fill.setAttribute('class', negative ? 'hearth-bar-fill hearth-bar-negative' : 'hearth-bar-fill');
  // At least a sliver, so that every stored topic is visible.
  fill.setAttribute('width', String(Math.max(2, Math.round(Math.min(1, fraction) * width))));
  fill.setAttribute('height', '12');
  fill.setAttribute('rx', '3');
  fill.setAttribute('fill', 'currentColor');
  fill.setAttribute('fill-opacity', negative ? '0.35' : '0.8');
  svg.append(track, fill);
  return svg;
}

/** @param {number} seconds Unix seconds */
function when(seconds) {
  const d = new Date(seconds * 1000);
  const t = el('time', 'hearth-time', d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
  t.dateTime = d.toISOString();
  return t;
}

/** @param {number} v variety in [-1, 1] */
function varietyWords(v) {
  if (v <= -0.5) return 'much more familiar';
  if (v < 0) return 'a little more familiar';
  if (v === 0) return "the site's balance";
  if (v < 0.5) return 'a little more different';
  return 'much more different';
}

export class HearthProfile extends HTMLElement {
  constructor() {
    super();
    /** @type {Promise<void>} actions and renders run one at a time */
    this.queue = Promise.resolve();
    this.confirmingClear = false;
    // The element's parts, put in place when it first joins the document (a
    // custom element's constructor may not add children to it).
    this.shell = false;
    this.content = el('div', 'hearth-profile-content');
    this.content.setAttribute('aria-busy', 'true');
    this.content.append(el('p', '', 'Loading your profile…'));
    // Outcomes of the reader's actions are announced here; errors as alerts.
    this.status = el('p', 'hearth-status');
    this.status.setAttribute('role', 'status');
    this.alert = el('p', 'hearth-alert');
    this.alert.setAttribute('role', 'alert');
  }

  connectedCallback() {
    if (this.shell) return;
    this.shell = true;
    this.replaceChildren(this.content, this.status, this.alert);
    this.addEventListener('click', (e) => this.onClick(e));
    this.addEventListener('change', (e) => this.onChange(e));
    this.refresh();
  }

  /** Renders the element again from what Hearth stores now. */
  refresh() {
    return this.run(() => this.render());
  }

  /**
   * Runs f after everything queued before it; errors become an alert.
   * @param {() => Promise<void>} f
   */
  run(f) {
    this.queue = this.queue.then(f).catch((err) => this.fail(err));
    return this.queue;
  }

  /** @param {string} text */
  say(text) {
    this.alert.textContent = '';
    this.status.textContent = text;
  }

  /** @param {any} err an Error, a HearthError, or a message */
  fail(err) {
    this.status.textContent = '';
    this.alert.textContent = typeof err === 'string' ? err : `Something went wrong: ${(err && err.message) || err}`;
  }

  async render() {
    if (!api) return;
    await api.ready;
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && this.contains(active) ? active.dataset.key || '' : '';
    const focusPart = focusKey && active ? active.closest('[data-part]') : null;
    const on = api.personalized;
    /** @type {ProfileView | null} */
    const view = on ? await api.profile() : null;
    /** @type {Recommendation[]} */
    const recs = view ? await api.recommend() : [];
    const aside = view ? await setAside() : null;
    const parts = [this.renderConsent(on, !!view)];
    if (view && newerStored) {
      const s = section('stored', 'Your saved profile');
      s.append(el('p', 'hearth-note', newerWords), el('p', 'hearth-note', "Until then you see the site's usual order, the same for every reader."));
      parts.push(s, this.renderRecs(recs), this.renderData(false));
    } else if (view) {
      if (aside) parts.push(this.renderAside(aside));
      parts.push(
        this.renderInterests(view),
        this.renderRecs(recs),
        this.renderVariety(view.variety),
        this.renderHistory(view),
      );
      if (view.hidden.length) parts.push(this.renderHidden(view));
      parts.push(this.renderData());
    } else if (api.consent === 'granted') {
      parts.push(el('p', 'hearth-note', "Personalization is on, but Hearth could not start in this browser, so you see the site's usual order."));
    }
    this.content.replaceChildren(...parts);
    this.content.removeAttribute('aria-busy');
    this.dataset.hearthState = view ? 'on' : 'off';
    this.restoreFocus(focusKey, focusPart ? /** @type {HTMLElement} */ (focusPart).dataset.part : '');
  }

  /**
   * Puts focus back on the control that had it, or on the heading of its
   * section when the control is gone (a deleted entry, for example).
   * @param {string} key the control's data-key
   * @param {string | undefined} part its section's data-part
   */
  restoreFocus(key, part) {
    if (!key) return;
    const same = this.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (same instanceof HTMLElement) return same.focus();
    const heading = part && this.querySelector(`[data-part="${CSS.escape(part)}"] h2`);
    if (heading instanceof HTMLElement) heading.focus();
  }

  /**
   * @param {boolean} on whether personalization runs
   * @param {boolean} running whether a profile is shown
   */
  renderConsent(on, running) {
    const s = section('consent', 'Personalization');
    const label = el('label', 'hearth-switch');
    const box = el('input');
    box.type = 'checkbox';
    box.setAttribute('role', 'switch');
    box.checked = on || api.consent === 'granted';
    box.dataset.key = 'consent';
    box.dataset.action = 'consent';
    label.append(box, ' Personalize recommendations on this site');
    s.append(label);
    s.append(el('p', 'hearth-note', running
      ? 'On. Hearth learns from the posts you read here and keeps what it learned in this browser only; nothing about your reading is sent anywhere. Switching it off deletes everything Hearth stored.'
      : "Off. Hearth stores nothing about your reading on this site, and you see the site's usual order, the same for every reader."));
    return s;
  }

  /** @param {ProfileView} view */
  renderInterests(view) {
    const s = section('interests', 'Topics you follow');
    if (!view.interests.length) {
      s.append(el('p', 'hearth-note', 'None yet. Hearth learns topics from the posts you read.'));
    } else {
      s.append(el('p', 'hearth-note', 'Learned from what you read, liked or hid; interests fade over time. Forget a topic to take back what was learned, or mute it so it is never learned or recommended again.'));
      const strongest = Math.max(...view.interests.map((i) => Math.abs(i.weight)));
      const list = el('ul', 'hearth-interests');
      for (const { topic, weight } of view.interests) {
        const li = el('li', 'hearth-interest');
        li.dataset.topic = topic;
        const words = strength(weight, strongest);
        const fraction = strongest > 0 ? Math.abs(weight) / strongest : 0;
        li.append(
          el('span', 'hearth-topic', topic), ' ',
          bar(fraction, weight < 0, `${topic}: ${words}`), ' ',
          el('span', 'hearth-strength', words), ' ',
          button('Forget', 'forget-topic', topic, `Forget the topic ${topic}`), ' ',
          button('Mute', 'mute', topic, `Mute the topic ${topic}: never learn or recommend it`),
        );
        list.append(li);
      }
      s.append(list);
    }
    if (view.muted.length) {
      s.append(el('h3', '', 'Muted topics'));
      const list = el('ul', 'hearth-muted');
      for (const topic of view.muted) {
        const li = el('li', '', topic);
        li.append(' ', button('Unmute', 'unmute', topic, `Unmute the topic ${topic}`));
        list.append(li);
      }
      s.append(list);
    }
    return s;
  }

  /** @param {Recommendation[]} recs */
  renderRecs(recs) {
    const s = section('recs', 'Recommended for you now');
    if (!recs.length) {
      s.append(el('p', 'hearth-note', 'Nothing to recommend right now.'));
      return s;
    }
    const list = el('ol', 'hearth-recs-why');
    for (const rec of recs) {
      const li = el('li');
      li.append(itemLink(rec.title, rec.url, rec.id));
      const why = el('ul', 'hearth-reasons');
      for (const r of rec.reasons.length ? rec.reasons : [{ text: "The site's usual order: nothing personal." }]) {
        why.append(el('li', '', r.text));
      }
      li.append(why);
      list.append(li);
    }
    s.append(list);
    return s;
  }

  /** @param {number} variety */
  renderVariety(variety) {
    const s = section('variety', 'Variety');
    const id = 'hearth-variety';
    const label = el('label', '', 'How different should recommendations be from what you usually read?');
    label.htmlFor = id;
    const range = el('input');
    range.type = 'range';
    range.id = id;
    range.min = '-1';
    range.max = '1';
    range.step = '0.25';
    range.value = String(Math.round(variety * 4) / 4);
    range.dataset.key = 'variety';
    range.dataset.action = 'variety';
    range.setAttribute('aria-valuetext', varietyWords(Number(range.value)));
    const row = el('p', 'hearth-range');
    row.append(el('span', '', 'More familiar'), ' ', range, ' ', el('span', '', 'More different'));
    s.append(label, row);
    return s;
  }

  /** @param {ProfileView} view */
  renderHistory(view) {
    const s = section('history', 'Your reading history');
    if (!view.events.length) {
      s.append(el('p', 'hearth-note', 'Nothing yet.'));
      return s;
    }
    s.append(el('p', 'hearth-note', 'Newest first. Deleting an entry also takes back what Hearth learned from it.'));
    const list = el('ol', 'hearth-history');
    for (const ev of [...view.events].reverse()) {
      const li = el('li');
      li.dataset.kind = ev.kind;
      li.append(when(ev.time), ' ', el('span', 'hearth-kind', kindWords[ev.kind] || ev.kind), ' ');
      if (ev.kind === 'mute') li.append(el('span', 'hearth-topic', ev.topic || ''));
      else li.append(itemLink(ev.title, ev.url, ev.item));
      if (ev.kind === 'read' && ev.dwell) li.append(` (${Math.round(ev.dwell)} s)`);
      const name = ev.kind === 'mute' ? ev.topic : ev.title || ev.item;
      li.append(' ', button('Delete', 'forget-event', String(ev.index), `Delete "${kindWords[ev.kind] || ev.kind} ${name}" from your history`));
      list.append(li);
    }
    s.append(list);
    return s;
  }

  /** @param {ProfileView} view */
  renderHidden(view) {
    const s = section('hidden', 'Posts you hid');
    const list = el('ul', 'hearth-hidden');
    for (const h of view.hidden) {
      const li = el('li');
      li.append(itemLink(h.title, h.url, h.id), ' ', button('Show again', 'unhide', h.id, `Recommend ${h.title || h.id} again`));
      list.append(li);
    }
    s.append(list);
    return s;
  }

  /**
   * The stored profile the Worker set aside: what happened, and a download.
   * @param {{value: unknown, time: number}} aside
   */
  renderAside(aside) {
    const s = section('damaged', 'Your saved profile');
    const p = el('p', 'hearth-note', `${damagedWords} Hearth started a new profile on `);
    p.append(when(aside.time / 1000), '.');
    s.append(p, button('Download the damaged profile', 'download-damaged'), ' ',
      button('Delete the damaged profile', 'discard-damaged'));
    return s;
  }

  /** @param {boolean} [full] false: only "delete everything", while the profile is a newer release's */
  renderData(full = true) {
    const s = section('data', 'Your data');
    if (!full) {
      s.append(this.confirmingClear ? this.confirmClear() : button('Delete everything Hearth stored', 'clear'));
      return s;
    }
    s.append(el('p', 'hearth-note', 'A copy of everything stored, to keep or to move to another browser.'),
      button('Download my profile (JSON)', 'export'));

    const id = 'hearth-import';
    const label = el('label', '', 'Import a profile you downloaded before (replaces the one in this browser):');
    label.htmlFor = id;
    const file = el('input');
    file.type = 'file';
    file.id = id;
    file.accept = '.json,application/json';
    file.dataset.key = 'import';
    file.dataset.action = 'import';
    const row = el('p', 'hearth-import');
    row.append(label, ' ', file);
    s.append(row);

    s.append(this.confirmingClear ? this.confirmClear() : button('Delete everything Hearth stored', 'clear'));
    return s;
  }

  confirmClear() {
    const box = el('div', 'hearth-confirm');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Confirm deleting everything');
    box.append(el('p', '', 'This deletes your topics, your history and your settings from this browser. It cannot be undone.'),
      button('Yes, delete everything', 'clear-confirm'), ' ', button('Cancel', 'clear-cancel'));
    return box;
  }

  /** @param {Event} e */
  onClick(e) {
    const b = e.target instanceof Element ? e.target.closest('button[data-action]') : null;
    if (!(b instanceof HTMLButtonElement) || !this.contains(b)) return;
    const v = b.value;
    switch (b.dataset.action) {
      case 'forget-topic':
        return this.act(() => api.forget({ topic: v }), `Forgot the topic ${v}.`);
      case 'mute':
        return this.act(() => api.track({ kind: 'mute', topic: v }), `Muted the topic ${v}.`);
      case 'unmute':
        return this.act(() => api.unmute(v), `Unmuted the topic ${v}.`);
      case 'unhide':
        return this.act(() => api.unhide(v), 'It can be recommended again.');
      case 'forget-event':
        return this.act(() => api.forget({ event: Number(v) }), 'Deleted from your history.');
      case 'export':
        return this.run(() => this.download());
      case 'download-damaged':
        return this.run(() => this.downloadDamaged());
      case 'discard-damaged':
        return this.act(() => store.update([], () => ({ result: null, remove: [store.Key.corrupt] }), false),
          'The damaged profile was deleted.');
      case 'clear':
        this.confirmingClear = true;
        return this.run(async () => {
          await this.render();
          const yes = this.querySelector('[data-action="clear-confirm"]');
          if (yes instanceof HTMLElement) yes.focus();
        });
      case 'clear-cancel':
        this.confirmingClear = false;
        return this.run(async () => {
          await this.render();
          const clear = this.querySelector('[data-action="clear"]');
          if (clear instanceof HTMLElement) clear.focus();
        });
      case 'clear-confirm':
        this.confirmingClear = false;
        return this.act(async () => {
          await api.clear();
          // The newer release's profile went with everything else.
          newerStored = false;
        }, 'Everything Hearth stored in this browser was deleted.', 'consent');
    }
  }

  /** @param {Event} e */
  onChange(e) {
    const t = e.target;
    if (!(t instanceof HTMLInputElement) || !this.contains(t)) return;
    switch (t.dataset.action) {
      case 'consent':
        return this.act(() => api.setConsent(t.checked ? 'granted' : 'denied'), t.checked
          ? 'Personalization is on.'
          : 'Personalization is off and everything Hearth stored was deleted.');
      case 'variety': {
        const v = Number(t.value);
        return this.act(() => api.setVariety(v), `Variety set to ${varietyWords(v)}.`);
      }
      case 'import': {
        const file = t.files && t.files[0];
        t.value = '';
        if (file) this.run(() => this.importFile(file));
      }
    }
  }

  /**
   * Runs a change through the API, announces it and renders again.
   * @param {() => Promise<unknown>} f
   * @param {string} done what to announce on success
   * @param {string} [focus] a data-key to focus afterwards
   */
  act(f, done, focus) {
    return this.run(async () => {
      try {
        await f();
      } catch (err) {
        const code = codeOf(err);
        this.fail(code === Code.storage
          ? 'Your browser refused to save the change (its storage may be full). Nothing was changed.'
          : code === Code.profileNewer ? newerWords : `That did not work: ${messageOf(err)}`);
        await this.render();
        return;
      }
      await this.render();
      this.say(done);
      const target = focus && this.querySelector(`[data-key="${focus}"]`);
      if (target instanceof HTMLElement) target.focus();
    });
  }

  /** Downloads the exported profile as a file, through a Blob URL. */
  async download() {
    const json = await api.export();
    if (json === null) {
      this.fail('Personalization is off: there is nothing to download.');
      return;
    }
    this.save(json, 'application/json', `hearth-profile-${new Date().toISOString().slice(0, 10)}.json`);
    this.say('Your profile was downloaded as a JSON file.');
  }

  /** Downloads the stored profile the Worker set aside, as it was stored. */
  async downloadDamaged() {
    const aside = await setAside();
    if (!aside) {
      this.fail('There is no damaged profile to download.');
      return;
    }
    const v = aside.value;
    this.save(v instanceof Uint8Array ? new Uint8Array(v) : v instanceof ArrayBuffer || typeof v === 'string' ? v : String(JSON.stringify(v)),
      'application/octet-stream', `hearth-profile-damaged-${new Date(aside.time).toISOString().slice(0, 10)}.bin`);
    this.say('The damaged profile was downloaded as it was stored.');
  }

  /**
   * Downloads data as a file, through a Blob URL.
   * @param {BlobPart} data
   * @param {string} type
   * @param {string} name
   */
  save(data, type, name) {
    const url = URL.createObjectURL(new Blob([data], { type }));
    const a = el('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    this.append(a);
    a.click();
    a.remove();
    // The download has started from the URL by the time the next task runs
    // in every current browser; a minute leaves a wide margin.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /**
   * Imports a file the reader chose. Anything that is not a Hearth export is
   * refused with a message, and then nothing changes: the engine replaces
   * the profile only after the whole file validated.
   * @param {File} file
   */
  async importFile(file) {
    const refuse = (/** @type {string} */ why) => this.fail(`That file was not imported: ${why} Your profile is unchanged.`);
    if (file.size > maxImportBytes) {
      return refuse(`at ${Math.ceil(file.size / 1024)} KB it is larger than any Hearth profile (at most ${maxImportBytes >> 20} MB).`);
    }
    let text;
    try {
      text = await file.text();
    } catch {
      return refuse('the browser could not read it.');
    }
    let doc;
    try {
      doc = JSON.parse(text);
    } catch {
      return refuse('it is not a JSON file.');
    }
    if (!doc || typeof doc !== 'object' || doc.format !== exportFormat) {
      return refuse('it is not a profile downloaded from Hearth.');
    }
    try {
      await api.import(text);
    } catch (err) {
      if (codeOf(err) === 'off') return refuse('switch personalization on first.');
      if (codeOf(err) === 'storage') return refuse('your browser refused to save it (its storage may be full).');
      return refuse(`it does not hold a valid profile (${messageOf(err)}).`);
    }
    await this.render();
    this.say('Your profile was imported.');
  }
}
