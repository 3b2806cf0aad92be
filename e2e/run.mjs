#!/usr/bin/env node
// End-to-end tests of the annuaire web pages in a real headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core), with an axe-core accessibility scan and
// screenshots at 390 px and 1280 px.
//
//   node e2e/run.mjs --base http://127.0.0.1:8080 [--screenshots DIR] [--chromium PATH]
//
// The server must run with `--demo` (synthetic data: the banner is checked on every page) and
// `--rate-limit 0`. Every step prints one line; the first failure prints the page URL and what
// was expected, and the script exits 1. See e2e/README.md.

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);

const { values: opts } = parseArgs({
  options: {
    base: { type: 'string' },
    screenshots: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
    timeout: { type: 'string', default: '10000' },
  },
});
if (!opts.base) {
  console.error('usage: node e2e/run.mjs --base http://HOST:PORT [--screenshots DIR] [--chromium PATH]');
  process.exit(2);
}
const BASE = opts.base.replace(/\/+$/, '');
const SHOTS = opts.screenshots ? path.resolve(opts.screenshots) : null;
const TIMEOUT = Number(opts.timeout);

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.error(`playwright-core is missing (${e.message}): run scripts/setup/browser.sh`);
  process.exit(2);
}
const AXE_PATH = require.resolve('axe-core/axe.min.js');

// ---------------------------------------------------------------------------------------------
// Reporting

class Failure extends Error {}

/** The page a failure is reported against. */
let currentPage = null;

function fail(message, page = currentPage) {
  const where = page && !page.isClosed() ? page.url() : '(no page)';
  throw new Failure(`${message}\n    at ${where}`);
}

function check(cond, message, page) {
  if (!cond) fail(message, page);
}

const started = Date.now();
let stepCount = 0;

async function step(name, fn) {
  stepCount += 1;
  const t0 = Date.now();
  try {
    await fn();
  } catch (e) {
    const msg = e instanceof Failure ? e.message : `${e.stack || e}${currentPage && !currentPage.isClosed() ? `\n    at ${currentPage.url()}` : ''}`;
    console.log(`✗ ${stepCount}. ${name}\n    ${msg}`);
    await shutdown();
    process.exit(1);
  }
  console.log(`✓ ${stepCount}. ${name} (${Date.now() - t0} ms)`);
}

function info(line) {
  console.log(`    ${line}`);
}

// ---------------------------------------------------------------------------------------------
// Browser

const browser = await chromium
  .launch({
    executablePath: opts.chromium,
    headless: true,
    // playwright-core adds --headless, --no-sandbox (chromiumSandbox: false) and a fresh
    // --user-data-dir; these keep Chromium off the network this machine does not have.
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  .catch((e) => {
    console.error(`cannot start Chromium at ${opts.chromium}: ${e.message}\nrun scripts/setup/browser.sh`);
    process.exit(2);
  });

async function shutdown() {
  await browser.close().catch(() => {});
}

/**
 * A browser context that records what should never happen on a page: uncaught script errors,
 * console errors (CSP violations among them) and failed subresources.
 */
async function newContext(options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT * 2);
  context.problems = [];
  context.on('page', (page) => watch(context, page));
  return context;
}

function watch(context, page) {
  page.on('pageerror', (e) => context.problems.push(`script error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A missing favicon is noise, not a fault of the page.
    if (/favicon/.test(m.location()?.url || '')) return;
    context.problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (r.status() >= 400 && type !== 'document' && !r.url().endsWith('/favicon.ico')) {
      context.problems.push(`${type} ${r.url()} answered ${r.status()} (on ${page.url()})`);
    }
  });
  page.on('requestfailed', (r) => {
    if (r.url().endsWith('/favicon.ico')) return;
    // Navigating away cancels requests in flight (net::ERR_ABORTED): not a fault.
    if (/ERR_ABORTED/.test(r.failure()?.errorText || '')) return;
    context.problems.push(`request ${r.url()} failed: ${r.failure()?.errorText} (on ${page.url()})`);
  });
}

function noProblems(context) {
  const p = context.problems.splice(0);
  check(p.length === 0, `the browser reported problems:\n      ${p.join('\n      ')}`);
}

/** Goes to a path and checks the answer is a 200 HTML page with the common landmarks. */
async function visit(page, pathname, { status = 200 } = {}) {
  currentPage = page;
  const response = await page.goto(BASE + pathname, { waitUntil: 'load' });
  check(response, `no answer for ${pathname}`);
  check(
    response.status() === status,
    `expected HTTP ${status} for ${pathname}, got ${response.status()}`,
  );
  await checkCommon(page);
  return response;
}

/** Every page: a skip link to #contenu, <main id="contenu">, the demo banner, a French title. */
async function checkCommon(page) {
  currentPage = page;
  const skip = page.locator('a.skip-link[href="#contenu"]');
  check((await skip.count()) === 1, 'expected one <a class="skip-link" href="#contenu">');
  check((await page.locator('main#contenu').count()) === 1, 'expected <main id="contenu">');
  const banner = page.locator('#bandeau-demo[role="note"]');
  check(
    (await banner.count()) === 1,
    'expected the demo banner <div id="bandeau-demo" role="note"> (the server runs with --demo)',
  );
  check(/synth/i.test(await banner.innerText()), 'the demo banner should say the data is synthetic');
  check((await page.locator('html').getAttribute('lang'))?.startsWith('fr'), 'expected <html lang="fr">');
  check((await page.title()).trim().length > 0, 'expected a non-empty <title>');
}

/** Clicks something that navigates, and waits for the new page to load. */
async function clickAndWait(page, locator, urlPredicate) {
  await Promise.all([page.waitForURL(urlPredicate, { waitUntil: 'load' }), locator.click()]);
  await checkCommon(page);
}

/** Submits a form whose answer may stay at the same URL (POST): waits for the new document. */
async function submitAndWait(page, locator) {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
    ),
    locator.click(),
  ]);
  await page.waitForLoadState('load');
  check(response.status() === 200, `expected HTTP 200 after submitting, got ${response.status()} for ${response.request().method()} ${response.url()}`);
  await checkCommon(page);
}

async function api(context, pathname) {
  const r = await context.request.get(BASE + pathname);
  check(r.ok(), `API ${pathname} answered ${r.status()}`);
  return r.json();
}

async function texts(locator) {
  return (await locator.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** The number in `#total` ("42 organismes" or "1 234 organismes"). */
async function totalOf(page) {
  const total = page.locator('#total');
  check((await total.count()) === 1, 'expected <p id="total">');
  const text = await total.innerText();
  const m = text.replace(/[\s\u00a0\u202f.]/g, '').match(/\d+/);
  check(m, `expected a number in #total, got « ${text} »`);
  return Number(m[0]);
}

async function resultCards(page, { min = 1 } = {}) {
  const cards = page.locator('#resultats .resultat');
  const n = await cards.count();
  if (n < min) {
    const none = (await page.locator('#aucun-resultat').count()) ? ' (#aucun-resultat shown)' : '';
    fail(`expected at least ${min} result(s) in #resultats .resultat, got ${n}${none}`);
  }
  return cards;
}

function ndaOf(href) {
  const m = href && href.match(/\/organismes\/(\d{11})(?:-|$|\?)/);
  return m ? m[1] : null;
}

const MOIS = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin',
  'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
];

/** "2026-11-16" shown as 16/11/2026, "16 novembre 2026" or a <time datetime>. */
function frenchDates(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const day = d === 1 ? '1er' : String(d);
  return [
    `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`,
    `${day} ${MOIS[m - 1]} ${y}`,
    `${d} ${MOIS[m - 1]} ${y}`,
  ];
}

async function checkHistory(page, nda, context) {
  const org = await api(context, `/api/v1/organismes/${nda}`);
  const expected = org.historique || [];
  const items = page.locator('#historique li');
  const n = await items.count();
  check(n >= 1, 'expected the history timeline <ol id="historique"> with at least one <li>');
  check(
    n === expected.length,
    `expected one #historique li per change: ${expected.length} in /api/v1/organismes/${nda}, ${n} on the page`,
  );
  const lines = await texts(items);
  const html = await page.locator('#historique').innerHTML();
  for (const change of expected) {
    check(
      lines.some((l) => l.toLowerCase().includes(change.libelle.toLowerCase())),
      `expected the French libellé « ${change.libelle} » (${change.type}, ${change.date}) in #historique, got:\n      ${lines.join('\n      ')}`,
    );
    const shown =
      frenchDates(change.date).some((f) => lines.some((l) => l.includes(f))) ||
      html.includes(`datetime="${change.date}`);
    check(shown, `expected the date of « ${change.libelle} » (${change.date}) in #historique, in French`);
  }
  return lines;
}

const STATUS_WORDS = {
  certifie: /certifié/i,
  non_certifie: /non certifié/i,
  absent_de_la_liste: /absent/i,
  inconnu: /inconnu/i,
  identifiant_invalide: /invalide/i,
};

// ---------------------------------------------------------------------------------------------
// Scenarios

console.log(`annuaire e2e: ${BASE} with ${opts.chromium} (${browser.version()})`);

const ctx = await newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
currentPage = page;

const state = {};

await step('home page renders with the search form', async () => {
  await visit(page, '/');
  for (const sel of [
    'form#recherche[action="/recherche"]',
    'form#recherche input#q[name="q"]',
    'form#recherche input#lieu[name="lieu"]',
    'form#recherche button[type="submit"]',
  ]) {
    check((await page.locator(sel).count()) === 1, `expected ${sel}`);
  }
  const method = (await page.locator('form#recherche').getAttribute('method')) || 'get';
  check(method.toLowerCase() === 'get', `expected form#recherche method="get", got ${method}`);
  const lieu = page.locator('#lieu');
  check((await lieu.getAttribute('role')) === 'combobox', 'expected #lieu role="combobox"');
  check(
    (await lieu.getAttribute('aria-controls')) === 'lieu-suggestions',
    'expected #lieu aria-controls="lieu-suggestions"',
  );
  check(
    (await page.locator('#lieu-suggestions[role="listbox"]').count()) === 1,
    'expected <ul id="lieu-suggestions" role="listbox">',
  );
  noProblems(ctx);
});

await step('search "comptabilite lyon": results with distances, interpretation mentions Lyon', async () => {
  await page.locator('#q').fill('comptabilite lyon');
  await clickAndWait(
    page,
    page.locator('form#recherche button[type="submit"]'),
    (u) => u.pathname === '/recherche',
  );
  const url = new URL(page.url());
  check(url.searchParams.get('q') === 'comptabilite lyon', `expected q=comptabilite lyon in the URL`);
  const cards = await resultCards(page);
  const n = await cards.count();
  const noDistance = [];
  for (let i = 0; i < n; i++) {
    const card = cards.nth(i);
    if ((await card.locator('.distance').count()) === 0) noDistance.push(i + 1);
    check((await card.locator('a.nom[href^="/organismes/"]').count()) === 1, `card ${i + 1}: expected a.nom linking to /organismes/…`);
    check((await card.locator('.badge[data-categorie]').count()) >= 1, `card ${i + 1}: expected scope badges .badge[data-categorie]`);
  }
  check(noDistance.length === 0, `expected a .distance on every card (place given), missing on cards ${noDistance.join(', ')}`);
  const distances = await texts(cards.locator('.distance'));
  check(distances.every((d) => /\d/.test(d) && /km/.test(d)), `expected distances in km, got ${distances.join(' | ')}`);
  const interpretation = page.locator('#interpretation');
  check((await interpretation.count()) === 1, 'expected <p id="interpretation">');
  const interp = (await interpretation.innerText()).trim();
  check(/Lyon/.test(interp), `expected #interpretation to mention Lyon, got « ${interp} »`);
  state.total1 = await totalOf(page);
  check(state.total1 >= n, `#total (${state.total1}) is below the number of cards (${n})`);
  info(`${state.total1} result(s); interpretation « ${interp} »; distances ${distances.join(', ')}`);
  state.resultsPath = url.pathname + url.search;
  noProblems(ctx);
});

await step('CSV export of the results', async () => {
  const link = page.locator('a#export-csv');
  check((await link.count()) === 1, 'expected <a id="export-csv">');
  const href = await link.getAttribute('href');
  const r = await ctx.request.get(new URL(href, page.url()).href);
  check(r.ok(), `CSV export ${href} answered ${r.status()}`);
  check(/text\/csv/.test(r.headers()['content-type'] || ''), `CSV export ${href}: content-type ${r.headers()['content-type']}`);
  const lines = (await r.text()).trim().split(/\r?\n/);
  check(lines.length === state.total1 + 1, `CSV export ${href}: expected a header and ${state.total1} rows, got ${lines.length} lines`);
  info(`${href} → ${lines.length - 1} row(s); header: ${lines[0].slice(0, 100)}`);
});

await step('scope filter "bilans de compétences": every card has the badge, total not higher', async () => {
  const box = page.locator('form#filtres input[type="checkbox"][name="categorie"][value="bilans_competences"]');
  check((await box.count()) === 1, 'expected a checkbox name="categorie" value="bilans_competences" in form#filtres');
  check(!(await box.isChecked()), 'the bilans_competences filter should not be checked yet');
  const filtered = (u) => u.pathname === '/recherche' && u.searchParams.getAll('categorie').includes('bilans_competences');
  // A script may submit the filters as soon as a box changes; without it, "Filtrer" does.
  await box.click();
  const auto = await page.waitForURL(filtered, { timeout: 1000, waitUntil: 'load' }).then(() => true, () => false);
  if (!auto) {
    const submit = page.locator('form#filtres [type="submit"]');
    check((await submit.count()) >= 1, 'expected a submit button ("Filtrer") in form#filtres');
    await clickAndWait(page, submit.first(), filtered);
  } else {
    await checkCommon(page);
  }
  const url = new URL(page.url());
  check(url.searchParams.get('q') === 'comptabilite lyon', 'the filter form should keep q=comptabilite lyon');
  check((await page.locator('form#filtres input[name="categorie"][value="bilans_competences"]').isChecked()), 'the applied filter should stay checked');
  const cards = await resultCards(page);
  const n = await cards.count();
  for (let i = 0; i < n; i++) {
    check(
      (await cards.nth(i).locator('.badge[data-categorie="bilans_competences"]').count()) === 1,
      `card ${i + 1} lacks .badge[data-categorie="bilans_competences"]`,
    );
  }
  const total = await totalOf(page);
  check(total <= state.total1, `expected the total to drop or stay (was ${state.total1}, now ${total})`);
  check(/Lyon/.test(await page.locator('#interpretation').innerText()), 'the interpretation should still mention Lyon');
  info(`${state.total1} → ${total} result(s)`);
  noProblems(ctx);
});

await step('open the first provider: h1, NDA in #identite, history timeline', async () => {
  const first = page.locator('#resultats .resultat a.nom').first();
  const name = (await first.innerText()).trim();
  const nda = ndaOf(await first.getAttribute('href'));
  check(nda, `expected a.nom href="/organismes/{nda}-{slug}", got ${await first.getAttribute('href')}`);
  await clickAndWait(page, first, (u) => u.pathname.startsWith(`/organismes/${nda}`));
  const h1 = page.locator('h1');
  check((await h1.count()) === 1, 'expected exactly one <h1>');
  const title = (await h1.innerText()).trim();
  check(title.length > 0, 'expected a non-empty <h1>');
  check(title.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(title.toLowerCase()), `expected the <h1> « ${title} » to name the provider « ${name} »`);
  const identite = page.locator('dl#identite');
  check((await identite.count()) === 1, 'expected <dl id="identite">');
  const id = (await identite.innerText()).replace(/[\s\u00a0\u202f]/g, '');
  check(id.includes(nda), `expected the NDA ${nda} in #identite`);
  check((await page.locator('section#certification').count()) === 1, 'expected <section id="certification">');
  const lines = await checkHistory(page, nda, ctx);
  state.providerPath = new URL(page.url()).pathname;
  info(`${title} (${nda}): ${lines.length} change(s): ${lines.join(' | ').slice(0, 200)}`);
  noProblems(ctx);
});

await step('provider with ≥ 2 changes: /organismes/{nda} redirects to its slug, full timeline', async () => {
  let chosen = null;
  for (const type of ['renomme', 'certifie', 'adresse_modifiee', 'decertifie']) {
    const { changements } = await api(ctx, `/api/v1/changements?type=${type}&par_page=50`);
    for (const c of changements) {
      const org = await api(ctx, `/api/v1/organismes/${c.nda}`);
      if ((org.historique || []).length >= 2) {
        chosen = org;
        break;
      }
    }
    if (chosen) break;
  }
  check(chosen, 'no provider with 2 changes or more found through /api/v1/changements (demo data)');
  await visit(page, `/organismes/${chosen.nda}`);
  const at = new URL(page.url()).pathname;
  check(at === chosen.url, `expected /organismes/${chosen.nda} to redirect to ${chosen.url}, ended at ${at}`);
  const lines = await checkHistory(page, chosen.nda, ctx);
  state.historyPath = at;
  info(`${chosen.nom_affichage} (${chosen.nda}) → ${at}: ${lines.join(' | ').slice(0, 240)}`);
  noProblems(ctx);
});

await step('autocomplete (JavaScript on): "lyo" suggests Lyon, picked with the keyboard', async () => {
  await visit(page, '/');
  const lieu = page.locator('#lieu');
  await lieu.click();
  await lieu.pressSequentially('lyo', { delay: 60 });
  const options = page.locator('#lieu-suggestions [role="option"]');
  const lyon = options.filter({ hasText: /Lyon/ });
  await lyon.first().waitFor({ state: 'visible' }).catch(() => {});
  check((await lyon.count()) >= 1, `expected an option containing "Lyon" in #lieu-suggestions after typing "lyo", got: ${(await texts(options)).join(' | ') || 'none'}`);
  check((await lieu.getAttribute('aria-expanded')) === 'true', 'expected #lieu aria-expanded="true" while suggestions show');
  const all = await texts(options);
  const index = all.findIndex((t) => /Lyon/.test(t));
  for (let i = 0; i <= index; i++) await lieu.press('ArrowDown');
  // The highlighted option is announced: aria-activedescendant or aria-selected.
  const active = await lieu.getAttribute('aria-activedescendant');
  const selected = page.locator('#lieu-suggestions [role="option"][aria-selected="true"]');
  const activeText = active ? (await page.locator(`[id="${active}"]`).innerText()) : (await selected.count()) ? await selected.first().innerText() : null;
  check(activeText && /Lyon/.test(activeText), `after ArrowDown expected the "Lyon" option to be active (aria-activedescendant or aria-selected), got ${activeText}`);
  await lieu.press('Enter');
  check(new URL(page.url()).pathname === '/', 'Enter on a suggestion should pick it, not submit the form');
  const value = await lieu.inputValue();
  check(/Lyon/.test(value), `expected #lieu to hold Lyon after picking it, got « ${value} »`);
  check((await lieu.getAttribute('aria-expanded')) === 'false', 'expected #lieu aria-expanded="false" after picking');
  check(!(await options.first().isVisible().catch(() => false)), 'the suggestions should close after picking');
  await page.locator('#q').fill('comptabilite');
  await clickAndWait(page, page.locator('form#recherche button[type="submit"]'), (u) => u.pathname === '/recherche');
  await resultCards(page);
  const interp = await page.locator('#interpretation').innerText();
  check(/Lyon/.test(interp), `expected the search with the picked place to mention Lyon, got « ${interp} »`);
  info(`suggestions: ${all.slice(0, 4).join(' | ')}; picked « ${value} »; ${interp.trim()}`);
  noProblems(ctx);
});

await step('bulk verification on /verifier: pasted identifiers, statuses, CSV link', async () => {
  const { resultats } = await api(ctx, '/api/v1/recherche?par_page=3');
  check(resultats.length === 3, 'expected 3 providers from /api/v1/recherche?par_page=3');
  const ids = [resultats[0].nda, resultats[1].siret, resultats[2].siret?.slice(0, 9), '12345'].filter(Boolean);
  state.verifyIds = ids;
  const expected = await ctx.request
    .post(BASE + '/api/v1/verification', { data: { identifiants: ids } })
    .then((r) => r.json());
  await visit(page, '/verifier');
  const form = page.locator('form#verifier');
  check((await form.count()) === 1, 'expected <form id="verifier">');
  check(((await form.getAttribute('method')) || '').toLowerCase() === 'post', 'expected form#verifier method="post"');
  check((await form.getAttribute('enctype')) === 'multipart/form-data', 'expected form#verifier enctype="multipart/form-data"');
  check((await form.locator('input[type="file"][name="fichier"]').count()) === 1, 'expected <input type="file" name="fichier">');
  await page.locator('textarea#identifiants[name="identifiants"]').fill(ids.join('\n'));
  await submitAndWait(page, form.locator('[type="submit"]').first());
  await checkVerification(page, expected.resultats);
  info(`pasted ${ids.join(', ')}`);

  // The same with a file.
  await visit(page, '/verifier');
  const file = ids.slice(0, 2).concat(['pas-un-identifiant']);
  const expected2 = await ctx.request
    .post(BASE + '/api/v1/verification', { data: { identifiants: file } })
    .then((r) => r.json());
  await page.locator('form#verifier input[type="file"][name="fichier"]').setInputFiles({
    name: 'organismes.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`identifiant\n${file.join('\n')}\n`),
  });
  await submitAndWait(page, page.locator('form#verifier [type="submit"]').first());
  await checkVerification(page, expected2.resultats);
  info(`uploaded a CSV of ${file.length} identifiers`);
  noProblems(ctx);
});

async function checkVerification(page, expected) {
  const table = page.locator('table#verification-resultats');
  check((await table.count()) === 1, 'expected <table id="verification-resultats"> after submitting');
  const rows = await texts(table.locator('tbody tr'));
  check(rows.length >= expected.length, `expected ${expected.length} rows in #verification-resultats, got ${rows.length}`);
  for (const r of expected) {
    const row = rows.find((t) => t.includes(r.identifiant));
    check(row, `expected a row for « ${r.identifiant} » in #verification-resultats`);
    check(STATUS_WORDS[r.statut].test(row) || row.includes(r.message), `row « ${r.identifiant} »: expected status ${r.statut} (${STATUS_WORDS[r.statut]}), got « ${row} »`);
  }
  const csv = page.locator('a#verification-csv');
  check((await csv.count()) === 1, 'expected <a id="verification-csv">');
  const href = await csv.getAttribute('href');
  check(href, 'expected an href on #verification-csv');
  if (href.startsWith('data:')) {
    check(/^data:text\/csv/.test(href), `#verification-csv data URL should be text/csv, got ${href.slice(0, 40)}`);
  } else {
    const r = await page.context().request.get(new URL(href, page.url()).href);
    check(r.ok(), `#verification-csv ${href} answered ${r.status()}`);
    check(/text\/csv/.test(r.headers()['content-type'] || ''), `#verification-csv ${href}: content-type ${r.headers()['content-type']}`);
    const body = await r.text();
    for (const e of expected) check(body.includes(e.identifiant), `#verification-csv lacks « ${e.identifiant} »`);
  }
  info(`${rows.length} row(s): ${rows.map((t) => t.slice(0, 70)).join(' | ')}`);
}

await step('search with JavaScript off: results, distances, pagination', async () => {
  const off = await newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const p = await off.newPage();
  await visit(p, '/');
  await p.locator('#q').fill('comptabilite');
  await p.locator('#lieu').fill('Lyon');
  await clickAndWait(p, p.locator('form#recherche button[type="submit"]'), (u) => u.pathname === '/recherche');
  const cards = await resultCards(p);
  check((await cards.locator('.distance').count()) === (await cards.count()), 'expected a .distance on every card');
  check(/Lyon/.test(await p.locator('#interpretation').innerText()), 'expected #interpretation to mention Lyon');
  check((await p.locator('#lieu-suggestions [role="option"]').count()) === 0, 'no suggestions without JavaScript');
  const n = await totalOf(p);
  info(`comptabilite + Lyon: ${n} result(s)`);

  // A broad search pages through results with plain links.
  await visit(p, '/recherche?q=formation');
  const total = await totalOf(p);
  const perPage = await (await resultCards(p)).count();
  if (total > perPage) {
    const nav = p.locator('nav.pagination');
    check((await nav.count()) === 1, `expected <nav class="pagination"> for ${total} results shown ${perPage} a page`);
    const next = nav.locator('a[href*="page=2"]').first();
    check((await next.count()) === 1, 'expected a link to page=2 in nav.pagination');
    const firstBefore = await p.locator('#resultats .resultat a.nom').first().getAttribute('href');
    await clickAndWait(p, next, (u) => u.searchParams.get('page') === '2');
    await resultCards(p);
    const firstAfter = await p.locator('#resultats .resultat a.nom').first().getAttribute('href');
    check(firstAfter !== firstBefore, 'page 2 shows the same first result as page 1');
    info(`formation: ${total} result(s), ${perPage} a page, page 2 renders`);
  } else {
    info(`formation: ${total} result(s) on one page (pagination not exercised)`);
  }
  noProblems(off);
  await off.close();
  currentPage = page;
});

await step('zero results suggest widening the search', async () => {
  await visit(page, '/recherche?q=zzzyxwvqq');
  check((await page.locator('#aucun-resultat').count()) === 1, 'expected <div id="aucun-resultat"> for a query with no result');
  check((await page.locator('#resultats .resultat').count()) === 0, 'expected no result cards');
  noProblems(ctx);
});

await step('keyboard: the skip link is the first focusable element and moves focus to #contenu', async () => {
  await visit(page, '/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.className || '');
  check(/skip-link/.test(focused), `expected the first Tab to focus a.skip-link, focused « ${focused} »`);
  check(await page.locator('a.skip-link').isVisible(), 'the focused skip link should be visible');
  await page.keyboard.press('Enter');
  check(new URL(page.url()).hash === '#contenu', 'following the skip link should go to #contenu');
});

await ctx.close();

// ---------------------------------------------------------------------------------------------
// Screenshots and axe-core, in contexts that bypass the site's CSP (script-src 'self') so that
// axe.min.js can be injected as a script tag; the scenarios above run under the real CSP.

// The three pages the issue names, then the other pages of the site.
const pagesToScan = [
  ['accueil', '/'],
  ['resultats', state.resultsPath || '/recherche?q=comptabilite+lyon'],
  ['organisme', state.historyPath || state.providerPath],
  ['verifier', '/verifier'],
  [
    'verification',
    '/verifier',
    async (p) => {
      // The answer to a POST: the results table.
      await p.locator('textarea#identifiants').fill((state.verifyIds || ['12345']).join('\n'));
      await submitAndWait(p, p.locator('form#verifier [type="submit"]').first());
    },
  ],
  ['qualiopi', '/qualiopi'],
  ['changements', '/changements'],
  ['donnees', '/donnees'],
].filter(([, p]) => p);
{
  // A topic × place landing page, from the sitemap.
  const r = await fetch(`${BASE}/sitemap.xml`).catch(() => null);
  const xml = r && r.ok ? await r.text() : '';
  const m = xml.match(/<loc>[^<]*?(\/formations\/[^<]+)<\/loc>/);
  if (m) pagesToScan.push(['formations', m[1]]);
  else console.log('    (no /formations/… page in /sitemap.xml: landing page not scanned)');
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const axeSummary = [];

for (const width of [1280, 390]) {
  const c = await newContext({
    viewport: { width, height: width > 800 ? 900 : 844 },
    deviceScaleFactor: 1,
    isMobile: width < 800,
    hasTouch: width < 800,
    bypassCSP: true,
  });
  const p = await c.newPage();
  for (const [name, pathname, then] of pagesToScan) {
    await step(`${name} at ${width} px: screenshot and axe-core scan (WCAG 2.1 A/AA)`, async () => {
      await visit(p, pathname);
      if (then) await then(p);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 1, `the page scrolls sideways at ${width} px (${overflow} px too wide)`);
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        const file = path.join(SHOTS, `${name}-${width}.png`);
        await p.screenshot({ path: file, fullPage: true });
        info(`screenshot ${file}`);
      }
      await p.addScriptTag({ path: AXE_PATH });
      const result = await p.evaluate(async (tags) => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160) })),
        }));
      }, AXE_TAGS);
      for (const v of result) {
        info(`axe ${v.impact}: ${v.id} (${v.nodes.length} node(s)): ${v.help} ${v.helpUrl}`);
        for (const n of v.nodes.slice(0, 5)) info(`    ${n.target} ${n.html}\n          ${(n.summary || '').replace(/\n/g, '\n          ')}`);
      }
      const blocking = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      axeSummary.push(`${name}@${width}: ${result.length} violation(s), ${blocking.length} serious/critical`);
      check(
        blocking.length === 0,
        `axe-core: ${blocking.length} serious or critical violation(s): ${blocking.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} node(s))`).join(', ')}`,
        p,
      );
      noProblems(c);
    });
  }
  await c.close();
}

await shutdown();
console.log(`axe-core ${JSON.parse(readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version}: ${axeSummary.join('; ')}`);
console.log(`all ${stepCount} steps passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
