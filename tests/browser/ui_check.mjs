// Drives doc-ray's browser UI in Debian's Chromium, the way a user does:
// uploads documents through the page, watches them finish, opens one and
// checks its page outline, rendered markdown, tabs and downloads, deletes it.
// Exits non-zero with the failed check's message.
//
//   node ui_check.mjs --url URL --rich RICH.pdf --hostile HOSTILE.pdf --out DIR [--key KEY]
//   node ui_check.mjs --url URL --rich RICH.pdf --screenshots DIR   (README pictures)
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' }, rich: { type: 'string' }, hostile: { type: 'string' },
    out: { type: 'string' }, key: { type: 'string' }, screenshots: { type: 'string' },
  },
});
const CHROMIUM = process.env.DOCRAY_CHROMIUM || '/usr/bin/chromium';
const JOB_TIMEOUT_MS = 180000;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok - ${message}`);
}

async function newPage(browser, colorScheme = 'light', viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ acceptDownloads: true, viewport, colorScheme });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(args.url).origin });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 40[14]/.test(message.text()))
      page.problems.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => dialog.accept());
  return page;
}

async function enterKey(page, key) {
  await page.waitForSelector('#key-dialog[open]', { timeout: 10000 });
  await page.fill('#key-input', key);
  await page.press('#key-input', 'Enter');
}

function rowOf(page, fileName) {
  return page.locator('#jobs tbody tr', { hasText: fileName });
}

async function waitCompleted(page, fileName) {
  await rowOf(page, fileName).locator('.badge.completed').waitFor({ timeout: JOB_TIMEOUT_MS });
}

async function openResult(page, fileName) {
  await rowOf(page, fileName).getByRole('link').click();
  await page.waitForSelector('#page-canvas[data-rendered="0"]', { timeout: 30000 });
}

// The outline, the rendered markdown and the links between them.
async function checkViewer(page) {
  const types = await page.$$eval('#page-overlay .box', (boxes) => boxes.map((box) => box.dataset.type));
  check(types.includes('title') && types.includes('text') && types.includes('table'),
        `page 1's outline has title, text and table boxes (${[...new Set(types)].join(', ')})`);
  const legend = await page.textContent('#legend');
  check(/Table \(\d+\)/.test(legend) && /Title \(\d+\)/.test(legend), `the legend names the types (${legend})`);
  const rendered = await page.textContent('#rendered');
  check(rendered.includes('rich-1-marker') && rendered.includes('rich-2-marker'), 'the rendered markdown has both pages\' text');
  check(rendered.includes('第1次实验的结果与预期一致'), 'the rendered markdown has the Chinese line, unspaced');
  check(await page.locator('#rendered table').count() >= 2, 'the rendered markdown has the tables as tables');
  check(await page.locator('#rendered img').evaluateAll((images) => images.some((image) => image.src.startsWith('data:image/') && image.naturalWidth > 0)),
        'the figure is shown from the result\'s images');

  check(await page.locator('#rendered .block[data-type=interline_equation] .katex-display').count() >= 1,
        'the display formulas are typeset');
  await page.evaluate(() => document.fonts.ready);
  check(await page.evaluate(() => [...document.fonts].some((font) => font.family.includes('KaTeX') && font.status === 'loaded')),
        'the formulas\' fonts load from the server');

  await page.locator('#page-overlay .box[data-type=table]').first().click();
  const activeTable = page.locator('#rendered .block.active table');
  check(await activeTable.count() === 1, 'clicking a table on the page marks its table in the markdown');
  await page.waitForFunction(() => {
    const box = document.querySelector('#rendered .block.active').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight + box.height;
  });
  check(true, 'the marked table is scrolled into view');

  await page.locator('#rendered .block', { hasText: 'rich-2-marker' }).click();
  await page.waitForSelector('#page-canvas[data-rendered="1"]');
  check(await page.inputValue('#page-number') === '2', 'clicking a block of page 2 turns the page to 2');
  check(await page.locator('#page-overlay .box.active').count() === 1, '... and outlines that block on it');
  await page.focus('#page-frame');
  await page.keyboard.press('ArrowLeft');
  await page.waitForSelector('#page-canvas[data-rendered="0"]');
  check(await page.inputValue('#page-number') === '1', 'the arrow keys turn the page');

  await page.click('#tab-markdown');
  const raw = await page.textContent('#markdown');
  check(raw.includes('# 1 Results of run 1') || raw.includes('Results of run 1'), 'the Markdown tab shows the raw markdown');
  await page.keyboard.press('ArrowRight');
  check(await page.isVisible('#json') && JSON.parse(await page.textContent('#json')).pdf_info.length === 2,
        'the arrow key moves to the Middle JSON tab, which holds both pages');
}

async function download(page, button) {
  const [saved] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const path = join(args.out, saved.suggestedFilename());
  await saved.saveAs(path);
  return { name: saved.suggestedFilename(), bytes: readFileSync(path) };
}

// Switching jobs fast: the answers for the job left behind never show.
async function checkSwitching(page, otherId, jobId) {
  await page.evaluate(([other, id]) => { location.hash = `#/job/${other}`; setTimeout(() => { location.hash = `#/job/${id}`; }, 30); },
                      [otherId, jobId]);
  await page.waitForSelector('#page-canvas[data-rendered="0"]', { timeout: 30000 });
  await page.waitForTimeout(1500);
  check(await page.textContent('#job-title') === basename(args.rich) && (await page.textContent('#rendered')).includes('rich-1-marker'),
        'opening another job and coming straight back shows this job only');
}

async function checkCopy(page) {
  await page.click('#copy-md');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied.includes('rich-2-marker') && copied === await page.textContent('#markdown'), 'Copy markdown puts the markdown on the clipboard');
}

// Retry from the list: the job runs again and completes again.
async function checkRetry(page, fileName) {
  const row = rowOf(page, fileName);
  const [answer] = await Promise.all([page.waitForResponse((response) => response.url().endsWith('/retry')),
                                      row.getByRole('button', { name: 'Retry' }).click()]);
  const state = (await answer.json()).state;
  check(answer.status() === 200 && (state === 'queued' || state === 'running'), `Retry in the list queues the job again (${state})`);
  await waitCompleted(page, fileName);
  check(true, '... and it completes again');
}

async function checkDownloads(page, stem) {
  const zip = await download(page, '#save-zip');
  check(zip.name === `${stem}.zip` && zip.bytes.subarray(0, 2).toString() === 'PK', `the zip downloads as ${zip.name}`);
  const listing = zip.bytes.toString('latin1');
  for (const member of [`${stem}.md`, `${stem}_middle.json`, `${stem}_content_list.json`, `${stem}.pdf`, 'images/'])
    check(listing.includes(member), `the zip holds ${member}`);
  const markdown = await download(page, '#save-md');
  check(markdown.name === `${stem}.md` && markdown.bytes.toString().includes('rich-2-marker'), 'the markdown downloads');
  const json = await download(page, '#save-json');
  check(JSON.parse(json.bytes.toString()).pdf_info.length === 2, 'the middle JSON downloads');
}

async function checkDelete(page, fileName, jobId) {
  await page.click('a.back');
  await rowOf(page, fileName).getByRole('button', { name: /^Delete/ }).click();
  await rowOf(page, fileName).waitFor({ state: 'detached', timeout: 10000 });
  const status = await page.evaluate(async ([id, key]) =>
    (await fetch(`/status/${id}`, { headers: key ? { 'X-API-Key': key } : {} })).status, [jobId, args.key || '']);
  check(status === 404, 'deleting the job in the list deletes it on the server');
}

// A document whose text is markup: shown as text, never run.
async function checkHostile(page, fileName) {
  await openResult(page, fileName);
  const state = await page.evaluate(() => ({
    scripts: document.querySelectorAll('#rendered script, #rendered iframe, #rendered object').length,
    handlers: [...document.querySelectorAll('#rendered *')].filter((node) =>
      [...node.attributes].some((attribute) => attribute.name.startsWith('on'))).length,
    injected: window.docrayInjected,
    title: document.title,
    text: document.querySelector('#rendered').textContent,
  }));
  check(state.scripts === 0 && state.handlers === 0, 'no script, frame or event handler of the document reaches the page');
  check(state.injected === undefined && state.title === 'doc-ray', 'the document\'s script did not run');
  check(state.text.includes('hostile-marker') && state.text.includes('<script>'), `the hostile document's markup is shown as text (${state.text.slice(0, 300)})`);
}

// A file dropped on the drop zone, as a file manager drops it.
async function dropFile(page, path) {
  const bytes = [...readFileSync(path)];
  const transfer = await page.evaluateHandle(([name, data]) => {
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([new Uint8Array(data)], name, { type: 'application/pdf' }));
    return dataTransfer;
  }, [basename(path), bytes]);
  await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: transfer });
}

async function uploadAndFollow(page) {
  await page.setInputFiles('#file-input', [args.rich]);
  await dropFile(page, args.hostile);
  await waitCompleted(page, basename(args.rich));
  await waitCompleted(page, basename(args.hostile));
  check(true, 'the picked and the dropped upload completed, their rows say so');
  const order = await page.$$eval('#jobs tbody tr', (rows) => rows.length);
  check(order >= 2, 'the job list shows the jobs');
}

async function checkReloadKeepsJobs(page) {
  await page.reload();
  if (args.key) check(!(await page.isVisible('#key-dialog[open]')), 'a reload keeps the key for the tab');
  await waitCompleted(page, basename(args.rich));
  check(true, 'the job list survives a reload');
}

async function runChecks(browser) {
  mkdirSync(args.out, { recursive: true });
  const page = await newPage(browser);
  await page.goto(args.url);
  if (args.key) {
    await page.waitForSelector('#key-dialog[open]', { timeout: 10000 });
    await page.keyboard.press('Escape');
    await page.waitForSelector('#jobs-error:not([hidden])', { timeout: 10000 });
    check(!(await page.isVisible('#key-dialog[open]')) && (await page.textContent('#jobs-error')).includes('API key'),
          'declining to give a key closes the dialog and says a key is needed');
    await page.reload();
    await enterKey(page, 'not-the-key');
    await page.waitForSelector('#key-error:not([hidden])', { timeout: 10000 });
    check(true, 'a wrong key is refused and asked for again');
    await enterKey(page, args.key);
    check(await page.evaluate(() => document.cookie === '' && !location.href.includes('key')),
          'the key is in no cookie and no address');
  }
  await uploadAndFollow(page);
  await checkReloadKeepsJobs(page);
  const richName = basename(args.rich);
  const jobId = await rowOf(page, richName).getAttribute('data-id');
  const hostileId = await rowOf(page, basename(args.hostile)).getAttribute('data-id');
  await openResult(page, richName);
  await checkViewer(page);
  await checkSwitching(page, hostileId, jobId);
  await checkDownloads(page, richName.replace(/\.pdf$/, ''));
  await checkCopy(page);
  await checkDelete(page, richName, jobId);
  await checkRetry(page, basename(args.hostile));
  await checkHostile(page, basename(args.hostile));

  const narrow = await newPage(browser, 'dark', { width: 390, height: 800 });
  await narrow.goto(args.url);
  if (args.key) await enterKey(narrow, args.key);
  await waitCompleted(narrow, basename(args.hostile));
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the list fits a phone-width window (overflow ${overflow}px)`);

  const problems = [...page.problems, ...narrow.problems];
  check(problems.length === 0, `no script errors on the page${problems.length ? `: ${problems.join('; ')}` : ''}`);
}

// The README's pictures: the list with a finished job, and the job open.
async function takeScreenshots(browser) {
  mkdirSync(args.screenshots, { recursive: true });
  for (const scheme of ['light', 'dark']) {
    const page = await newPage(browser, scheme);
    await page.goto(args.url);
    if (scheme === 'light') await page.setInputFiles('#file-input', [args.rich]);
    await waitCompleted(page, basename(args.rich));
    await page.screenshot({ path: join(args.screenshots, `web-jobs-${scheme}.png`) });
    await openResult(page, basename(args.rich));
    await page.locator('#rendered .block[data-type=table]').first().click();
    await page.waitForSelector('#page-overlay .box.active');
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(args.screenshots, `web-result-${scheme}.png`) });
  }
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  if (args.screenshots) await takeScreenshots(browser);
  else await runChecks(browser);
} catch (error) {
  console.error(error.stack || String(error));
  process.exitCode = 1;
} finally {
  await browser.close();
}
