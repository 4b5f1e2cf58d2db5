// Auto-tracking of reads: an item counts as read once the reader has had the
// page visible for a while and scrolled through a good part of it. Both
// thresholds come from the loader's configuration (data-read-dwell and
// data-read-scroll on the script tag).

/**
 * Calls onRead(dwellSeconds) once, when the page has been visible for
 * dwell seconds and scrolled to the fraction scroll of its height.
 * @param {{dwell: number, scroll: number}} opts
 * @param {(dwell: number) => void} onRead
 * @returns {() => void} a function that stops watching
 */
export function watchRead({ dwell, scroll }, onRead) {
  let visibleMs = 0;
  let since = document.visibilityState === 'visible' ? performance.now() : null;
  let depth = 0;

  const measure = () => {
    const height = document.documentElement.scrollHeight;
    const seen = height <= innerHeight ? 1 : (scrollY + innerHeight) / height;
    depth = Math.max(depth, seen);
  };
  const account = () => {
    if (since === null) return;
    const t = performance.now();
    visibleMs += t - since;
    since = t;
  };
  const check = () => {
    account();
    measure();
    if (visibleMs >= dwell * 1000 && depth >= scroll) {
      stop();
      onRead(Math.round(visibleMs / 100) / 10);
    }
  };
  const onVisibility = () => {
    account();
    since = document.visibilityState === 'visible' ? performance.now() : null;
  };
  // Check often enough that short test thresholds are met promptly, and
  // at most once a second otherwise.
  const timer = setInterval(check, Math.min(1000, Math.max(50, dwell * 250)));
  document.addEventListener('visibilitychange', onVisibility);
  addEventListener('scroll', check, { passive: true });

  function stop() {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    removeEventListener('scroll', check);
  }
  check();
  return stop;
}
