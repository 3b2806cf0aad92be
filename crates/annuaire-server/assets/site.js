// annuaire: progressive enhancement only; every page works without this file.
// The place field (#lieu) suggests places from /api/v1/lieux as an ARIA 1.2 combobox whose
// popup is the listbox #lieu-suggestions (both rendered by the server, the list empty).
(function () {
  'use strict';
  var input = document.getElementById('lieu');
  var list = document.getElementById('lieu-suggestions');
  if (!input || !list || !window.fetch) return;

  var KINDS = {
    commune: 'commune',
    arrondissement: 'arrondissement',
    departement: 'département',
    region: 'région',
    code_postal: 'code postal'
  };
  var status = document.createElement('p');
  status.className = 'visuellement-cache';
  status.setAttribute('role', 'status');
  list.parentNode.appendChild(status);

  var places = [];
  var active = -1;
  var timer = null;
  var asked = 0;

  // What goes in the field: a name the server resolves to this very place ("Valence (26)"
  // and not the other Valence), a postal code as is.
  function valueOf(p) {
    if (p.type === 'code_postal') return p.code;
    if (p.type === 'commune' && p.departement) return p.nom + ' (' + p.departement + ')';
    return p.nom;
  }

  function detail(p) {
    var kind = KINDS[p.type] || '';
    if (p.type === 'code_postal') return kind + ', ' + p.nom;
    if (p.type === 'commune' || p.type === 'arrondissement') return kind + (p.departement ? ', ' + p.departement : '');
    if (p.type === 'departement') return kind + ' ' + p.code;
    return kind;
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function show(found) {
    places = found;
    active = -1;
    list.textContent = '';
    input.removeAttribute('aria-activedescendant');
    found.forEach(function (p, i) {
      var li = document.createElement('li');
      li.id = 'lieu-option-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.appendChild(document.createTextNode(p.type === 'code_postal' ? p.code + ' ' : p.nom + ' '));
      var small = document.createElement('span');
      small.className = 'type';
      small.textContent = '(' + detail(p) + ')';
      li.appendChild(small);
      // mousedown, not click: the field keeps its focus, so its blur does not close the list first.
      li.addEventListener('mousedown', function (e) {
        e.preventDefault();
        pick(i);
      });
      list.appendChild(li);
    });
    if (found.length) {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      status.textContent = found.length + (found.length > 1 ? ' lieux suggérés' : ' lieu suggéré') +
        ' ; flèches haut et bas pour choisir, Entrée pour valider.';
    } else {
      close();
      status.textContent = '';
    }
  }

  function move(i) {
    var items = list.querySelectorAll('[role="option"]');
    if (!items.length) return;
    if (active >= 0 && items[active]) items[active].setAttribute('aria-selected', 'false');
    active = (i + items.length) % items.length;
    var el = items[active];
    el.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', el.id);
    if (el.scrollIntoView) el.scrollIntoView({ block: 'nearest' });
  }

  function pick(i) {
    var p = places[i];
    if (!p) return;
    input.value = valueOf(p);
    close();
    status.textContent = input.value + ' choisi.';
  }

  function ask(text) {
    var mine = ++asked;
    fetch('/api/v1/lieux?limite=8&q=' + encodeURIComponent(text), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { lieux: [] }; })
      .then(function (d) {
        // Only the answer to the latest keystroke, and only while the field is in use.
        if (mine === asked && document.activeElement === input) show(d.lieux || []);
      })
      .catch(function () { /* suggestions are optional: typing still works */ });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2 || text.length > 200) {
      asked++;
      show([]);
      return;
    }
    timer = setTimeout(function () { ask(text); }, 150);
  });

  input.addEventListener('keydown', function (e) {
    var open = !list.hidden && places.length > 0;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!places.length) return;
      e.preventDefault();
      if (!open) {
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }
      move(e.key === 'ArrowDown' ? active + 1 : (active < 0 ? places.length - 1 : active - 1));
    } else if (e.key === 'Enter' && open && active >= 0) {
      // Enter picks the highlighted place; with none highlighted it submits the form as usual.
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      close();
    }
  });

  input.addEventListener('blur', close);
})();
