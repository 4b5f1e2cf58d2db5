// The demo publisher's own script: a consent bar on every page and a simple
// profile page. It uses only Hearth's public API.
import hearth from '/hearth/hearth.js';

const bar = document.getElementById('hearth-consent');

function download(name, text) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function list(id, items) {
  const ul = document.getElementById(id);
  ul.replaceChildren(...items.map((node) => {
    const li = document.createElement('li');
    li.append(node);
    return li;
  }));
}

async function showProfile() {
  const status = document.getElementById('hearth-status');
  if (!status) return;
  const on = hearth.personalized;
  status.textContent = on
    ? 'Personalization is on. Your profile:'
    : 'Personalization is off: nothing about your reading is stored.';
  document.getElementById('hearth-on').hidden = on;
  document.getElementById('hearth-off').hidden = !on;
  document.getElementById('hearth-export').hidden = !on;
  const view = on ? await hearth.profile() : null;
  document.getElementById('hearth-profile-view').hidden = !view;
  if (!view) return;
  list('hearth-interests', view.interests.map((i) => `${i.topic} (${i.weight.toFixed(2)})`));
  list('hearth-read', view.read.map((r) => {
    const a = document.createElement('a');
    a.href = r.url || '#';
    a.textContent = r.title || r.id;
    return a;
  }));
}

document.addEventListener('click', async (e) => {
  const t = e.target instanceof Element ? e.target.closest('button') : null;
  if (!t) return;
  try {
    if (t.dataset.consent === 'granted' || t.id === 'hearth-on') await hearth.setConsent('granted');
    else if (t.id === 'hearth-off') await hearth.setConsent('denied');
    else if (t.id === 'hearth-export') download('hearth-profile.json', await hearth.export());
    if (t.dataset.consent) bar.hidden = true;
    await showProfile();
  } catch (err) {
    console.warn('hearth:', err.code, err.message);
  }
});

hearth.ready.then(() => {
  if (bar) bar.hidden = hearth.consent === 'granted';
  showProfile();
});
