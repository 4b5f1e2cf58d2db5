// Starts the side-by-side Worker and leaves its report in window.__side
// (or the error in window.__sideError) for the harness. The harness calls
// window.__runSide(options).

window.__runSide = (opts) =>
  new Promise((resolve, reject) => {
    const w = new Worker('/bench/static/side-worker.js', { type: 'module', name: 'hearth-bench' });
    w.onmessage = (e) => {
      w.terminate();
      if (e.data && e.data.error) reject(new Error(e.data.error));
      else resolve(e.data);
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(`side worker: ${e.message || 'failed to load'}`));
    };
    w.postMessage(opts);
  });
