// Hearth's public browser API. This hand-written file is the contract: the
// loader (hearth.js) is typed against it with JSDoc, `make check` checks the
// loader and the Worker against it with tsc, and changing a name here is a
// breaking change for publishers. The error codes and event kinds are
// declared in Go and generated into protocol.gen.d.ts, which goes with it.
//
// Embed:
//   <script type="module" src="/hearth/hearth.js"
//           data-catalogue="/hearth/catalogue.msgpack"
//           data-consent="opt-in"></script>
//
// Optional attributes of the script tag: data-consent ("opt-in", the
// default, "opt-out", or "tcf": the page's IAB TCF v2.2 consent management
// platform decides), data-consent-fallback ("opt-in" or "opt-out", the
// default under "tcf" where GDPR does not apply), data-quiet (no console
// messages), data-read-dwell (seconds of visible time before a page counts
// as read, default 15) and data-read-scroll (fraction of the page scrolled,
// default 0.5).

import type { ErrorCode, EventKind } from './protocol.gen.js';

export type { ErrorCode, EventKind };

/** The reader's effective choice: personalization on or off. */
export type Consent = 'granted' | 'denied';

/** An error with a stable code. */
export interface HearthError extends Error {
  readonly code: ErrorCode;
}

/** Why an item was recommended. */
export interface Reason {
  /** read, topic, related, new, popular, explore or pinned. */
  code: string;
  /** A sentence for the reader, e.g. "Because you read …". */
  text: string;
  /** The item id or topic the reason refers to. */
  ref?: string;
}

/** One recommended item. */
export interface Recommendation {
  id: string;
  url: string;
  title: string;
  reasons: Reason[];
}

/** A catalogue item the profile refers to; title and url are empty once it left the catalogue. */
export interface ItemRef {
  id: string;
  title: string;
  url: string;
}

/** Everything the profile holds, in plain terms. */
export interface ProfileView {
  consent: '' | Consent;
  /** -1 (more familiar) … 1 (more different). */
  variety: number;
  /** Unix seconds of the last change. */
  updated: number;
  /** Topics the reader follows, strongest first. */
  interests: { topic: string; weight: number }[];
  /** The event log, oldest first; index is what forget({event}) takes. */
  events: {
    index: number;
    item: string;
    title: string;
    url: string;
    kind: EventKind;
    time: number;
    dwell?: number;
    topic?: string;
  }[];
  read: ItemRef[];
  hidden: ItemRef[];
  muted: string[];
}

/** The detail of hearth:ready. */
export interface ReadyDetail {
  consent: Consent;
  /** Whether the engine runs (consent granted and everything loaded). */
  personalized: boolean;
}

/**
 * The detail of hearth:recommendations, fired when a slot shows a list: once
 * per list, so not again when the engine's answer equals the list shown.
 */
export interface RecommendationsDetail {
  slot: string;
  related: boolean;
  items: Recommendation[];
  /** The list is the one the Worker kept on the device for this page, shown before the engine started. */
  kept: boolean;
}

/** The detail of hearth:error. */
export interface ErrorDetail {
  code: ErrorCode;
  message: string;
}

export interface Hearth {
  /** Settles once consent is decided and, when on, the engine has loaded or failed. Never rejects. */
  readonly ready: Promise<ReadyDetail>;
  /** The effective consent. */
  readonly consent: Consent;
  /** Whether recommendations are personal right now. */
  readonly personalized: boolean;
  /**
   * Switches personalization on or off. Granting is stored with the profile;
   * denying deletes everything Hearth stored (under an opt-out default only
   * the denial itself is kept, so that it lasts).
   */
  setConsent(consent: Consent): Promise<void>;
  /** Records an event; resolves whether it entered the profile (false while off). */
  track(event: { kind: EventKind; item?: string; dwell?: number; topic?: string }): Promise<boolean>;
  /**
   * Ranks the catalogue for the reader; [] while off, when the page shows
   * the publisher's non-personal order. item and related recommend around
   * an item (an id or URL).
   */
  recommend(req?: { count?: number; slot?: string; item?: string; related?: boolean }): Promise<Recommendation[]>;
  /** The whole profile, or null while off (nothing is stored then). */
  profile(): Promise<ProfileView | null>;
  /** The profile as a JSON document for the reader to keep, or null while off. */
  export(): Promise<string | null>;
  /** Replaces the profile with an exported one (needs personalization on). */
  import(json: string | object): Promise<void>;
  /** Deletes everything Hearth stored in this origin. */
  clear(): Promise<void>;
  /** Deletes one item, one logged event (by index) or one topic from the profile. */
  forget(what: { item: string } | { event: number } | { topic: string }): Promise<void>;
  /** Sets the reader's variety, -1 (more familiar) … 1 (more different). */
  setVariety(variety: number): Promise<void>;
  /** Lets a muted topic be learned and recommended again. */
  unmute(topic: string): Promise<void>;
  /** Lets a hidden item (an id or URL) be recommended again. */
  unhide(item: string): Promise<void>;
}

/**
 * <hearth-consent>: the consent prompt. It comes with the loader; while the
 * reader has not chosen (and neither Global Privacy Control nor a consent
 * management platform answers for them) it asks, in an overlay fixed to the
 * bottom of the viewport that shifts no layout, with an Accept and a Decline
 * button (button[data-consent="granted"], button[data-consent="denied"] in
 * its open shadow root), and hides once they chose. It stores nothing
 * itself. data-hearth-state is "shown" while it asks and "hidden"
 * otherwise. Styled with the --hearth-consent-* custom properties and the
 * parts region, text, actions, button, accept and decline.
 */
export interface HearthConsentElement extends HTMLElement {}

/**
 * <hearth-profile>: everything Hearth stores about the reader, in plain
 * words, with the controls to change, export, import and delete it. It comes
 * with the loader; put the element where the reader's profile page needs it.
 * data-hearth-state is "on" while it shows a profile and "off" otherwise.
 */
export interface HearthProfileElement extends HTMLElement {
  /** Renders the element again from what is stored now. */
  refresh(): Promise<void>;
}

declare const hearth: Hearth;
export default hearth;
export { hearth };

declare global {
  interface Window {
    hearth: Hearth;
  }
  interface DocumentEventMap {
    'hearth:ready': CustomEvent<ReadyDetail>;
    'hearth:recommendations': CustomEvent<RecommendationsDetail>;
    'hearth:error': CustomEvent<ErrorDetail>;
  }
  interface HTMLElementTagNameMap {
    'hearth-recs': HTMLElement & { recommendations?: Recommendation[] };
    'hearth-profile': HearthProfileElement;
    'hearth-consent': HearthConsentElement;
  }
}
