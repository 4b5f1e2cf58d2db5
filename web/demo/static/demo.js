// The demo publisher's own script: a consent bar on every page. The profile
// page needs none: <hearth-profile> comes with the loader. It uses only
// Hearth's public API.
import hearth from '/hearth/hearth.js';

const bar = document.getElementById('hearth-consent');

document.addEventListener('click', async (e) => {
  const t = e.target instanceof Element ? e.target.closest('button[data-consent]') : null;
  if (!t || !bar || !bar.contains(t)) return;
  bar.hidden = true;
  if (t.dataset.consent !== 'granted') return;
  try {
    await hearth.setConsent('granted');
  } catch (err) {
    console.warn('hearth:', err.code, err.message);
  }
});

hearth.ready.then(() => {
  // The bar asks once per page while personalization is off, but not on
  // the profile page, which has its own switch.
  if (bar) bar.hidden = hearth.consent === 'granted' || document.querySelector('hearth-profile') !== null;
});
