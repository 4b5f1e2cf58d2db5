// The messages between the loader (hearth.js) and its Worker
// (hearth-worker.js): both are typed against these declarations with JSDoc,
// and `make check` (tsc) checks both ends. The engine's own protocol, which
// the Worker speaks with the wasm, is generated: protocol.gen.d.ts.
//
// Loader to Worker: {id, op, ...arguments}. Worker to loader: {id, ok: true,
// value} or {id, ok: false, error: {code, message}}, plus {event: 'error',
// code, message} for problems that belong to no call. Calls run one at a
// time in arrival order.

import type { Consent, ProfileView, Recommendation } from './hearth.js';
import type { ErrorCode, EventKind, WireCatalogueInfo } from './protocol.gen.js';

/** Each call the loader makes: its arguments and what it resolves to. */
export interface WorkerCalls {
  /** Loads the engine and the catalogue, tells the engine the page's decision, loads the stored profile. */
  init: { args: { catalogue: string; wasm: string; wasmExec: string; consent: Consent }; value: { catalogue: WireCatalogueInfo } };
  /** Records an event; resolves whether it entered the profile. */
  track: { args: { kind: EventKind; item?: string; dwell?: number; topic?: string }; value: boolean };
  /**
   * Ranks at the start of period (store.periodMs) with its seed; keep: a
   * slot's list, kept for the next page (store.Recs) with those it leads to.
   */
  recommend: { args: { count: number; item?: string; related: boolean; period: number; keep?: boolean }; value: Recommendation[] };
  profile: { args: {}; value: ProfileView };
  export: { args: {}; value: string };
  import: { args: { json: string }; value: null };
  /** Forgets everything and deletes the database (the consent record too). */
  clear: { args: {}; value: null };
  'forget-item': { args: { item: string }; value: null };
  'forget-event': { args: { index: number }; value: null };
  'forget-topic': { args: { topic: string }; value: null };
  variety: { args: { variety: number }; value: null };
  unmute: { args: { topic: string }; value: null };
  unhide: { args: { item: string }; value: null };
}

export type WorkerOp = keyof WorkerCalls;

/** A call as the loader posts it. */
export type WorkerRequest<K extends WorkerOp = WorkerOp> = K extends WorkerOp
  ? { id: number; op: K } & WorkerCalls[K]['args']
  : never;

/** What the Worker posts to the loader. */
export type WorkerReply =
  | { id: number; ok: true; value: WorkerCalls[WorkerOp]['value'] }
  | { id: number; ok: false; error: { code: ErrorCode; message: string } }
  | { event: 'error'; code: ErrorCode; message: string };

declare global {
  /** The toolchain's wasm_exec.js, loaded by importScripts in the Worker, defines Go. */
  var Go: {
    new (): {
      env: Record<string, string>;
      importObject: WebAssembly.Imports;
      run(instance: WebAssembly.Instance): Promise<void>;
    };
  };
  /** Registered by the engine (wasm/main.go): a request, the bytes beside it, the response. */
  var hearthDispatch: ((req: Uint8Array, data?: Uint8Array | Uint8Array[]) => Uint8Array) | undefined;
}
