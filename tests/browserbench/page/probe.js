// The load benchmark's probe. It runs on the main thread just before the
// Hearth loader (both are module scripts, run in document order) and
// records, relative to the page's time origin:
//   start   when this script ran, i.e. when the loader is about to start;
//   ready   hearth:ready (consent decided, engine loaded, profile read);
//   recs    the first hearth:recommendations (the slot's DOM is updated),
//           kept whether its list was the one the Worker kept on the device,
//           and lists how many lists the slot was given (1: never replaced);
//   frame   the animation frame after it, the frame that paints the list;
// and every main-thread long task (over 50 ms) of the page's life, with the
// long animation frames (over 50 ms) that say what ran in them: scripts by
// source and function, and the time spent in style and layout; and the
// page's layout shift as Lighthouse sums it (CLS: layout-shift entries
// without recent input, from the first paint on), with whether
// <hearth-consent> was showing, read a frame after the first
// recommendations' frame (settled).
// The harness reads window.__bench.

const bench = {
  start: performance.now(),
  ready: 0,
  recs: 0,
  kept: false,
  lists: 0,
  frame: 0,
  items: [],
  errors: [],
  longTasks: [],
  longFrames: [],
  detail: null,
  cls: 0,
  prompt: '',
  settled: 0,
};
window.__bench = bench;

try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch (err) {
  bench.errors.push(`longtask observer: ${err && err.message}`);
}

try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration <= 50) continue;
      bench.longFrames.push({
        start: e.startTime,
        duration: e.duration,
        blocking: e.blockingDuration,
        render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
        styleAndLayout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
        scripts: e.scripts.map((x) => ({
          invoker: x.invoker,
          source: `${x.sourceURL.split('/').pop()} ${x.sourceFunctionName}`.trim(),
          duration: x.duration,
          forcedLayout: x.forcedStyleAndLayoutDuration,
        })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
} catch (err) {
  // Long animation frames only explain long tasks; browsers without them
  // still report the tasks.
}

try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const shift = /** @type {PerformanceEntry & {value: number, hadRecentInput: boolean}} */ (e);
      if (!shift.hadRecentInput) bench.cls += shift.value;
    }
  }).observe({ type: 'layout-shift', buffered: true });
} catch (err) {
  bench.errors.push(`layout-shift observer: ${err && err.message}`);
}

document.addEventListener('hearth:ready', (e) => {
  bench.ready = performance.now();
  bench.detail = e.detail;
});
document.addEventListener('hearth:error', (e) => bench.errors.push(`${e.detail.code}: ${e.detail.message}`));
document.addEventListener('hearth:recommendations', (e) => {
  bench.lists++;
  if (bench.recs) return;
  bench.recs = performance.now();
  bench.kept = e.detail.kept;
  bench.items = e.detail.items.map((r) => r.id);
  requestAnimationFrame(() => {
    bench.frame = performance.now();
    requestAnimationFrame(() => {
      const prompt = document.querySelector('hearth-consent');
      bench.prompt = prompt instanceof HTMLElement ? prompt.dataset.hearthState || '' : '';
      bench.settled = performance.now();
    });
  });
});

/**
 * Times n sequential calls of f (each awaited) with performance.now(), in
 * milliseconds. The page is not cross-origin isolated, as publishers' pages
 * are not, so the clock's resolution is 0.1 ms.
 * @param {number} n
 * @param {(i: number) => Promise<unknown>} f
 */
bench.time = async (n, f) => {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    out.push(performance.now() - t);
  }
  return out;
};
