// doc-ray's browser UI: submit documents, follow the jobs, read a result
// beside its page. Talks only to this server's REST API; every document
// byte it shows goes through DOMPurify, and the page's security policy lets
// no script run but these files.
import { marked } from '/ui/marked.esm.js';
import DOMPurify from '/ui/purify.es.mjs';

const $ = (id) => document.getElementById(id);
const KEY_SLOT = 'doc-ray.api-key';        // sessionStorage: this tab only
const OPTIONS_SLOT = 'doc-ray.options';    // localStorage: no secrets in it
const JOBS_POLL_MS = 1500;
const TYPE_LABELS = {
  title: 'Title', text: 'Text', list: 'List', index: 'Contents', table: 'Table', image: 'Figure',
  interline_equation: 'Formula', code: 'Code', discarded: 'Header / footer',
};

// ---------------------------------------------------------------- the API

let keyPrompt = null; // one dialog for every request refused at once
const KEY_CHARACTERS = /^[\x21-\x7e]+$/; // what an HTTP header carries as it is

function apiKey() { return sessionStorage.getItem(KEY_SLOT) || ''; }

// Asks for the key; resolves true with a new key kept, false when the user
// declines (Escape), which keeps the key there was.
function askForKey(refused) {
  if (!keyPrompt) {
    keyPrompt = new Promise((resolve) => {
      const dialog = $('key-dialog');
      const input = $('key-input');
      $('key-error').textContent = 'That key was refused.';
      $('key-error').hidden = !refused;
      input.value = '';
      const check = () => input.setCustomValidity(KEY_CHARACTERS.test(input.value.trim()) ? ''
        : 'A key is letters, digits and punctuation, without spaces.');
      input.addEventListener('input', check);
      dialog.addEventListener('close', () => {
        input.removeEventListener('input', check);
        const entered = dialog.returnValue === 'ok' && KEY_CHARACTERS.test(input.value.trim());
        if (entered) sessionStorage.setItem(KEY_SLOT, input.value.trim());
        keyPrompt = null;
        resolve(entered);
      }, { once: true });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }
  return keyPrompt;
}

function withKey(headers = {}) {
  const key = apiKey();
  return key ? { ...headers, 'X-API-Key': key } : headers;
}

// fetch() with the tab's key; asks for a key when the server wants one
// (again only if the key refused is still the one kept).
async function api(path, options = {}) {
  for (;;) {
    const sent = apiKey();
    const response = await fetch(path, { ...options, headers: withKey(options.headers) });
    if (response.status !== 401)
      return response;
    if (apiKey() === sent && !(await askForKey(sent !== '')))
      throw Object.assign(new Error('This server needs an API key.'), { status: 401 });
  }
}

async function apiJson(path, options) {
  const response = await api(path, options);
  const body = await response.json().catch(() => null);
  if (!response.ok)
    throw Object.assign(new Error((body && body.detail) || `${response.status} ${response.statusText}`), { status: response.status });
  return body;
}

// ------------------------------------------------------------- formatting

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function stem(fileName) {
  const base = (fileName || 'document').replace(/\.[^./]+$/, '');
  return base.replace(/[\\/:*?"<>|]+/g, '_') || 'document';
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = element('a', { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ------------------------------------------------------------ submitting

function parserParams() {
  const form = $('options-form');
  const params = {
    force_ocr: form.force_ocr.checked,
    table_enable: form.table_enable.checked,
    figure_enable: form.figure_enable.checked,
    formula_enable: form.formula_enable.checked,
  };
  const lang = form.lang.value.trim();
  if (lang) params.lang = lang;
  const first = parseInt(form.first_page.value, 10);
  const last = parseInt(form.last_page.value, 10);
  if (first > 0) params.start_page = first - 1;
  if (last > 0) params.end_page = last - 1;
  return params;
}

function keepOptions() {
  const form = $('options-form');
  const kept = {};
  for (const input of form.elements)
    if (input.name) kept[input.name] = input.type === 'checkbox' ? input.checked : input.value;
  localStorage.setItem(OPTIONS_SLOT, JSON.stringify(kept));
}

function restoreOptions() {
  const form = $('options-form');
  let kept = {};
  try { kept = JSON.parse(localStorage.getItem(OPTIONS_SLOT) || '{}'); } catch { /* a stale entry */ }
  for (const input of form.elements) {
    if (!input.name || !(input.name in kept)) continue;
    if (input.type === 'checkbox') input.checked = !!kept[input.name];
    else input.value = kept[input.name];
  }
  form.addEventListener('change', keepOptions);
}

// One upload with its progress; XMLHttpRequest because fetch reports none.
function postFile(file, params, onProgress) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.addEventListener('abort', () => resolve({ status: 0, body: { detail: 'The upload was stopped.' } }));
    request.open('POST', '/submit');
    for (const [name, value] of Object.entries(withKey())) request.setRequestHeader(name, value);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { /* not JSON */ }
      resolve({ status: request.status, body });
    });
    request.addEventListener('error', () => resolve({ status: 0, body: { detail: 'The server could not be reached.' } }));
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('parser_params', JSON.stringify(params));
    request.send(form);
  });
}

async function upload(file, displayName) {
  const bar = element('progress', { max: 1, value: 0, 'aria-label': `Upload of ${displayName}` });
  const note = element('span', { class: 'note muted' }, 'Uploading…');
  const row = element('li', {}, element('span', { class: 'name', title: displayName }, displayName), bar, note);
  $('uploads').prepend(row);
  const params = parserParams();
  for (;;) {
    const sent = apiKey();
    const { status, body } = await postFile(file, params, (share) => { bar.value = share; });
    if (status === 401 && (apiKey() !== sent || await askForKey(sent !== '')))
      continue;
    if (status >= 200 && status < 300 && body && body.job_id) {
      bar.value = 1;
      note.className = 'note muted';
      note.replaceChildren('Submitted: ', element('a', { href: `#/job/${body.job_id}` }, 'open the result'));
      row.dataset.job = body.job_id;
      refreshJobs();
      // The list shows the job from now on, where the list is served.
      setTimeout(() => { if (jobListServed) row.remove(); }, 8000);
    } else {
      note.className = 'note error';
      note.textContent = `Refused: ${(body && body.detail) || `HTTP ${status}`}`;
    }
    return;
  }
}

async function uploadAll(entries) {
  // Two at a time: the server queues them anyway, and progress stays legible.
  const queue = [...entries];
  const runners = [0, 1].map(async () => {
    while (queue.length) {
      const { file, name } = queue.shift();
      await upload(file, name);
    }
  });
  await Promise.all(runners);
}

// Files from a drop, folders walked.
async function droppedFiles(dataTransfer) {
  const found = [];
  const walk = async (entry, prefix) => {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      found.push({ file, name: prefix + file.name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  const entries = [...dataTransfer.items].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
  if (entries.length) {
    for (const entry of entries) await walk(entry, '');
  } else {
    for (const file of dataTransfer.files) found.push({ file, name: file.name });
  }
  return found.filter(({ file }) => !file.name.startsWith('.'));
}

function setUpSubmitting() {
  const zone = $('drop-zone');
  const fileInput = $('file-input');
  const folderInput = $('folder-input');
  const chosen = (input) => {
    uploadAll([...input.files].map((file) => ({ file, name: file.webkitRelativePath || file.name })));
    input.value = '';
  };
  $('pick-files').addEventListener('click', (event) => { event.stopPropagation(); fileInput.click(); });
  $('pick-folder').addEventListener('click', (event) => { event.stopPropagation(); folderInput.click(); });
  fileInput.addEventListener('change', () => chosen(fileInput));
  folderInput.addEventListener('change', () => chosen(folderInput));
  zone.addEventListener('click', (event) => { if (event.target === zone) fileInput.click(); });
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', async (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    try {
      uploadAll(await droppedFiles(event.dataTransfer));
    } catch (error) {
      $('uploads').prepend(element('li', {}, element('span', { class: 'note error' }, `The drop could not be read: ${error.message}`)));
    }
  });
  restoreOptions();
}

// ------------------------------------------------------------- job list

let jobsTimer = null;
let jobListServed = true; // false where the server keeps its job list from this client

function jobRow(job) {
  const row = element('tr', { dataset: { id: job.job_id } });
  row.append(element('td', { class: 'name' }), element('td', { class: 'state' }), element('td', { class: 'progress' }),
             element('td', { class: 'created' }), element('td', { class: 'actions' }));
  return row;
}

function jobActions(job) {
  const act = (label, handler, extra = {}) => element('button', { type: 'button', onclick: handler, ...extra }, label);
  const actions = [];
  if (job.state === 'completed')
    actions.push(act('Open', () => { location.hash = `#/job/${job.job_id}`; }));
  if (job.state === 'queued' || job.state === 'running')
    actions.push(act('Cancel', () => jobCommand(job, 'cancel')));
  if (job.state === 'failed' || job.state === 'completed')
    actions.push(act('Retry', () => jobCommand(job, 'retry')));
  actions.push(act('Delete', () => deleteJob(job), { 'aria-label': `Delete ${job.filename}` }));
  return actions;
}

// Rows are updated in place so focus and scrolling survive each refresh.
function fillJobRow(row, job) {
  const signature = JSON.stringify([job.state, job.error, job.progress, job.filename, job.queue_position]);
  if (row.dataset.signature === signature) return;
  row.dataset.signature = signature;
  const [name, state, progress, created, actions] = row.children;
  // The buttons stay the same nodes while the state does: a click is never
  // lost to a progress update.
  if (row.dataset.state !== job.state) {
    row.dataset.state = job.state;
    const focused = actions.contains(document.activeElement) ? document.activeElement.textContent : null;
    actions.replaceChildren(...jobActions(job));
    if (focused)
      [...actions.children].find((button) => button.textContent === focused)?.focus();
  }
  const title = job.state === 'completed'
    ? element('a', { href: `#/job/${job.job_id}` }, job.filename || job.job_id)
    : element('span', {}, job.filename || job.job_id);
  name.replaceChildren(title);
  if (job.error) name.append(element('span', { class: 'error' }, job.error));
  state.replaceChildren(element('span', { class: `badge ${job.state}` }, job.state));
  const { pages_done: done, pages_total: total } = job.progress || {};
  if (job.state === 'running' && total > 0)
    progress.replaceChildren(element('progress', { max: total, value: done, 'aria-label': 'Pages done' }),
                             element('span', { class: 'muted' }, `${done} / ${total} pages`));
  else if (job.state === 'queued')
    progress.textContent = job.queue_position != null ? `#${job.queue_position + 1} in queue` : 'queued';
  else
    progress.textContent = total > 0 ? `${total} pages` : '';
  created.textContent = when(job.created_at);
}

function showJobs(jobs) {
  const body = $('jobs').tBodies[0];
  const existing = new Map([...body.rows].map((row) => [row.dataset.id, row]));
  jobs.forEach((job, position) => {
    const row = existing.get(job.job_id) || jobRow(job);
    existing.delete(job.job_id);
    fillJobRow(row, job);
    if (body.rows[position] !== row) body.insertBefore(row, body.rows[position] || null);
  });
  for (const stale of existing.values()) stale.remove();
  $('jobs-empty').hidden = jobs.length > 0;
}

async function refreshJobs() {
  clearTimeout(jobsTimer);
  try {
    const filter = $('job-filter').value;
    const listing = await apiJson(`/jobs?limit=200${filter ? `&status=${filter}` : ''}`);
    showJobs(listing.jobs);
    $('jobs-error').hidden = true;
    jobListServed = true;
  } catch (error) {
    $('jobs-error').textContent = `Could not read the job list: ${error.message}`;
    $('jobs-error').hidden = false;
    // Refused for good (no key to give, or not for this client): asking
    // again every second changes nothing. Uploads keep their links.
    jobListServed = !(error.status === 401 || error.status === 403);
  }
  if (!$('list-view').hidden && jobListServed)
    jobsTimer = setTimeout(refreshJobs, JOBS_POLL_MS);
}

async function jobCommand(job, command) {
  try {
    await apiJson(`/jobs/${encodeURIComponent(job.job_id)}/${command}`, { method: 'POST' });
  } catch (error) {
    alert(`${command === 'cancel' ? 'Cancel' : 'Retry'} failed: ${error.message}`);
  }
  refreshJobs();
}

async function deleteJob(job) {
  if (!confirm(`Delete ${job.filename || job.job_id} and its result?`)) return;
  try {
    await apiJson(`/result/${encodeURIComponent(job.job_id)}`, { method: 'DELETE' });
  } catch (error) {
    alert(`Delete failed: ${error.message}`);
  }
  if (location.hash.startsWith(`#/job/${job.job_id}`)) location.hash = '#/';
  refreshJobs();
}

// ------------------------------------------------------------ one result

// What the job view shows. `view` is the open job's token: every request
// it makes carries the token's abort signal, and every answer that arrives
// after the user has moved on is dropped (its PDF destroyed).
const viewer = {
  view: null, fileName: '', markdown: '', middleJson: '', images: {}, blocks: [], discarded: [],
  pdf: null, page: 0, pageCount: 0, renderTask: null, paintSerial: 0,
};

function currentView(view) { return viewer.view === view; }

function imageUrl(path) {
  const key = path.replace(/^images\//, '');
  const data = viewer.images[key] ?? viewer.images[path];
  if (typeof data !== 'string') return null;
  if (data.startsWith('data:')) return data;
  const type = /\.png$/i.test(key) ? 'image/png' : 'image/jpeg';
  return `data:${type};base64,${data}`;
}

// TeX typeset by KaTeX (loaded beside this module), or shown as TeX where
// it cannot be. KaTeX's default keeps \href, \url and raw HTML out.
function formulaHtml(tex, displayMode) {
  if (window.katex) {
    try {
      return window.katex.renderToString(tex, { displayMode, throwOnError: true, output: 'htmlAndMathml' });
    } catch { /* not TeX KaTeX reads: shown as written */ }
  }
  return element(displayMode ? 'pre' : 'code', { class: 'formula' }, tex).outerHTML;
}

// Inline formulas as MinerU's markdown writes them ("$x^2$"); a pair of
// dollars around plain words ("$5 and $10") is left alone.
marked.use({
  extensions: [{
    name: 'inlineFormula',
    level: 'inline',
    start: (source) => source.indexOf('$'),
    tokenizer(source) {
      const match = /^\$(?!\s)([^$\n]+?)(?<!\s)\$/.exec(source);
      if (match && /[\\^_{}=]/.test(match[1])) return { type: 'inlineFormula', raw: match[0], tex: match[1] };
      return undefined;
    },
    renderer: (token) => formulaHtml(token.tex, false),
  }],
});

// A block's markdown as safe HTML: formulas typeset, images from the result
// (nothing is fetched), everything through the sanitiser.
function blockHtml(block) {
  const markup = block.type === 'interline_equation'
    ? formulaHtml(block.markdown.replace(/^\$\$\n?|\n?\$\$$/g, ''), true)
    : marked.parse(block.markdown, { gfm: true });
  // Named properties prefixed: a document's id="key-input" cannot stand in
  // for the page's own elements.
  const fragment = DOMPurify.sanitize(markup, { FORBID_TAGS: ['style', 'form'], SANITIZE_NAMED_PROPS: true, RETURN_DOM_FRAGMENT: true });
  for (const image of fragment.querySelectorAll('img')) {
    const url = imageUrl(image.getAttribute('src') || '');
    if (url) image.src = url;
    else image.removeAttribute('src');
    image.loading = 'lazy';
  }
  for (const link of fragment.querySelectorAll('a[href]')) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
  return fragment;
}

function renderBlocks() {
  const pane = $('rendered');
  pane.replaceChildren();
  for (const block of viewer.blocks) {
    const node = element('div', { class: 'block', tabindex: 0, dataset: { index: block.index, type: block.type, page: block.page_idx } },
                         blockHtml(block));
    node.addEventListener('click', (event) => {
      if (event.target.closest('a')) return;
      selectBlock(block.index, 'text');
    });
    node.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.target !== node) return;
      event.preventDefault();
      selectBlock(block.index, 'text');
    });
    pane.append(node);
  }
  if (!viewer.blocks.length)
    pane.append(element('p', { class: 'muted' }, 'This document has no text.'));
}

// Header and footer boxes from the middle JSON: they are left out of the
// markdown but belong on the page.
function discardedBoxes(middle) {
  const boxes = [];
  (middle.pdf_info || []).forEach((page, pageIndex) => {
    const [width, height] = page.page_size || [0, 0];
    for (const block of page.discarded_blocks || [])
      boxes.push({ page_idx: page.page_idx ?? pageIndex, page_size: [width, height], bbox: block.bbox, type: 'discarded' });
  });
  return boxes;
}

function showLegend() {
  const counts = {};
  for (const block of [...viewer.blocks, ...viewer.discarded]) counts[block.type] = (counts[block.type] || 0) + 1;
  $('legend').replaceChildren(...Object.keys(TYPE_LABELS).filter((type) => counts[type]).map((type) =>
    element('li', { dataset: { type } }, element('span', { class: 'swatch' }), `${TYPE_LABELS[type]} (${counts[type]})`)));
}

function placeBox(node, block) {
  const [width, height] = block.page_size;
  const [x0, y0, x1, y1] = block.bbox;
  if (!(width > 0 && height > 0)) return;
  node.style.left = `${(100 * x0) / width}%`;
  node.style.top = `${(100 * y0) / height}%`;
  node.style.width = `${(100 * (x1 - x0)) / width}%`;
  node.style.height = `${(100 * (y1 - y0)) / height}%`;
}

function drawOverlay() {
  const overlay = $('page-overlay');
  overlay.replaceChildren();
  for (const block of viewer.blocks.filter((b) => b.page_idx === viewer.page)) {
    const label = `${TYPE_LABELS[block.type] || block.type} block ${block.index + 1}`;
    const box = element('button', { type: 'button', class: 'box', 'aria-label': label, title: TYPE_LABELS[block.type] || block.type,
                                     dataset: { index: block.index, type: block.type } });
    placeBox(box, block);
    box.addEventListener('click', () => selectBlock(block.index, 'page'));
    overlay.append(box);
  }
  for (const block of viewer.discarded.filter((b) => b.page_idx === viewer.page)) {
    const box = element('div', { class: 'box discarded', title: TYPE_LABELS.discarded, dataset: { type: 'discarded' } });
    placeBox(box, block);
    overlay.append(box);
  }
}

async function showPage(index) {
  if (!Number.isInteger(index) || index < 0 || (viewer.pageCount && index >= viewer.pageCount)) {
    $('page-number').value = viewer.page + 1;
    return;
  }
  viewer.page = index;
  $('page-number').value = index + 1;
  $('prev-page').disabled = index === 0;
  $('next-page').disabled = index + 1 >= viewer.pageCount;
  drawOverlay();
  if (viewer.pdf) await paintPage(index);
}

// Only the latest page asked for is drawn; a failure is said beside it.
async function paintPage(index) {
  const serial = ++viewer.paintSerial;
  const { pdf } = viewer;
  let page;
  try {
    page = await pdf.getPage(index + 1);
  } catch (error) {
    $('page-note').textContent = `Page ${index + 1} could not be drawn: ${error.message}`;
    $('page-note').hidden = false;
    return;
  }
  if (serial !== viewer.paintSerial || pdf !== viewer.pdf) return;
  const canvas = $('page-canvas');
  const available = Math.max(320, $('page-frame').clientWidth || 600);
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: (available / base.width) * Math.min(window.devicePixelRatio || 1, 2) });
  viewer.renderTask?.cancel();
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  viewer.renderTask = page.render({ canvasContext: canvas.getContext('2d'), viewport });
  try {
    await viewer.renderTask.promise;
    canvas.dataset.rendered = String(index);
  } catch (error) {
    if (error?.name === 'RenderingCancelledException') return;
    $('page-note').textContent = `Page ${index + 1} could not be drawn: ${error.message}`;
    $('page-note').hidden = false;
  }
}

// A page with no PDF (an image or text submission) keeps its outline on a
// blank sheet of the page's size.
function blankPage() {
  const sizes = new Map();
  for (const block of [...viewer.blocks, ...viewer.discarded]) sizes.set(block.page_idx, block.page_size);
  viewer.pageCount = Math.max(1, ...[...sizes.keys()].map((page) => page + 1));
  const [width, height] = sizes.get(0) || [612, 792];
  const canvas = $('page-canvas');
  canvas.width = width;
  canvas.height = height;
  $('page-note').textContent = 'No page image for this document: block outlines only.';
  $('page-note').hidden = false;
}

// The stored PDF, drawn by pdf.js in its worker with its own character
// maps, fonts, colour profile and image decoders, all from this server.
async function loadPdf(view) {
  const response = await api(`/result/${encodeURIComponent(view.id)}/pdf`, { signal: view.abort.signal });
  const bytes = response.ok ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array();
  if (bytes.length < 5 || !currentView(view)) return null;
  const pdfjs = await import('/ui/pdf.min.mjs');
  pdfjs.GlobalWorkerOptions.workerSrc = '/ui/pdf.worker.min.mjs';
  const data = '/ui/pdfjs/';
  const pdf = await pdfjs.getDocument({ data: bytes, isEvalSupported: false, cMapUrl: data, cMapPacked: true,
                                        standardFontDataUrl: data, wasmUrl: data, iccUrl: data }).promise;
  if (currentView(view)) return pdf;
  pdf.destroy();
  return null;
}

function selectBlock(index, from) {
  for (const node of document.querySelectorAll('.active')) node.classList.remove('active');
  const block = viewer.blocks[index];
  if (!block) return;
  const textNode = $('rendered').querySelector(`.block[data-index="${index}"]`);
  textNode?.classList.add('active');
  const finish = () => {
    const box = $('page-overlay').querySelector(`.box[data-index="${index}"]`);
    box?.classList.add('active');
    if (from === 'text') box?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  };
  if (from === 'page') {
    selectTab('rendered');
    textNode?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }
  if (block.page_idx !== viewer.page) showPage(block.page_idx).then(finish);
  else finish();
}

function selectTab(name) {
  for (const tab of document.querySelectorAll('[role=tab]')) {
    const selected = tab.getAttribute('aria-controls') === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute('aria-controls')).hidden = !selected;
  }
  if (name === 'json' && !$('json').textContent) showMiddleJson();
}

const JSON_SHOWN_MAX = 4 * 1024 * 1024;

function showMiddleJson() {
  if (viewer.middleJson.length > JSON_SHOWN_MAX) {
    $('json').textContent = `The middle JSON is ${(viewer.middleJson.length / 1048576).toFixed(1)} MB: use the JSON button to save it.`;
    return;
  }
  try {
    $('json').textContent = JSON.stringify(JSON.parse(viewer.middleJson), null, 2);
  } catch {
    $('json').textContent = viewer.middleJson;
  }
}

// Leaves the job shown: its requests stop, its PDF and drawing go.
function closeViewer() {
  viewer.view?.abort.abort();
  viewer.renderTask?.cancel();
  viewer.pdf?.destroy();
  Object.assign(viewer, { view: null, fileName: '', markdown: '', middleJson: '', images: {}, blocks: [], discarded: [],
                          pdf: null, page: 0, pageCount: 0, renderTask: null });
  ++viewer.paintSerial;
}

function resetViewer(id) {
  closeViewer();
  viewer.view = { id, abort: new AbortController() };
  $('job-body').hidden = true;
  $('page-note').hidden = true;
  $('job-title').textContent = id;
  $('job-state').textContent = '';
  $('job-state').className = 'badge';
  $('job-message').textContent = '';
  $('rendered').replaceChildren();
  $('markdown').textContent = '';
  $('json').textContent = '';
  $('page-overlay').replaceChildren();
  delete $('page-canvas').dataset.rendered;
  for (const button of document.querySelectorAll('.job-bar button')) button.disabled = true;
  selectTab('rendered');
  return viewer.view;
}

function showStatus(status) {
  $('job-title').textContent = status.filename || status.job_id;
  $('job-state').className = `badge ${status.state}`;
  $('job-state').textContent = status.state;
  const { pages_done: done, pages_total: total } = status.progress || {};
  if (status.state === 'failed')
    $('job-message').textContent = `Failed: ${status.error || 'no reason given'}`;
  else if (status.state !== 'completed')
    $('job-message').textContent = total ? `Working: ${done} of ${total} pages…` : 'Waiting for a worker…';
}

// Follows the job until it ends (long polls after a first plain look),
// then shows its result; gives up quietly once the user has moved on.
async function openJob(id) {
  const view = resetViewer(id);
  $('job-title').focus();
  const path = `/status/${encodeURIComponent(id)}`;
  for (let wait = ''; ; wait = '?wait=30') {
    let status;
    try {
      status = await apiJson(path + wait, { signal: view.abort.signal });
    } catch (error) {
      if (currentView(view)) $('job-message').textContent = error.message;
      return;
    }
    if (!currentView(view)) return;
    showStatus(status);
    if (status.state === 'failed') return;
    if (status.state === 'completed') break;
  }
  await showResult(view);
}

async function showResult(view) {
  $('job-message').textContent = 'Loading the result…';
  const id = encodeURIComponent(view.id);
  let answer, blocks;
  try {
    [answer, blocks] = await Promise.all([
      apiJson(`/result/${id}?exclude=pdf_data`, { signal: view.abort.signal }),
      apiJson(`/result/${id}/blocks`, { signal: view.abort.signal }),
    ]);
  } catch (error) {
    if (currentView(view)) $('job-message').textContent = `Could not load the result: ${error.message}`;
    return;
  }
  if (!currentView(view)) return;
  const result = answer.result || {};
  viewer.fileName = $('job-title').textContent;
  viewer.markdown = result.markdown || '';
  viewer.middleJson = result.middle_json || '';
  viewer.images = result.images || {};
  viewer.blocks = blocks.blocks || [];
  let middle = {};
  try { middle = JSON.parse(viewer.middleJson || '{}'); } catch { /* shown raw */ }
  viewer.discarded = discardedBoxes(middle);
  viewer.pageCount = (middle.pdf_info || []).length;
  $('markdown').textContent = viewer.markdown;
  renderBlocks();
  showLegend();
  $('job-body').hidden = false;
  for (const button of document.querySelectorAll('.job-bar button')) button.disabled = false;
  $('job-message').textContent = '';
  await showPages(view);
}

async function showPages(view) {
  let pdf = null;
  try {
    pdf = await loadPdf(view);
  } catch (error) {
    if (!currentView(view)) return;
    $('page-note').textContent = `The page could not be drawn: ${error.message}`;
    $('page-note').hidden = false;
  }
  if (!currentView(view)) return;
  viewer.pdf = pdf;
  if (pdf) viewer.pageCount = pdf.numPages;
  else blankPage();
  $('page-count').textContent = `of ${viewer.pageCount}`;
  $('page-number').max = viewer.pageCount;
  await showPage(0);
}

async function copyMarkdown() {
  try {
    await navigator.clipboard.writeText(viewer.markdown);
  } catch {
    const area = element('textarea', {}, viewer.markdown);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  $('job-message').textContent = 'Markdown copied.';
}

async function saveZip() {
  const view = viewer.view;
  try {
    const response = await api(`/result/${encodeURIComponent(view.id)}/archive`, { signal: view.abort.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    saveBlob(await response.blob(), `${stem(viewer.fileName)}.zip`);
  } catch (error) {
    if (currentView(view)) $('job-message').textContent = `The archive could not be made: ${error.message}`;
  }
}

function setUpViewer() {
  $('copy-md').addEventListener('click', copyMarkdown);
  $('save-md').addEventListener('click', () =>
    saveBlob(new Blob([viewer.markdown], { type: 'text/markdown' }), `${stem(viewer.fileName)}.md`));
  $('save-json').addEventListener('click', () =>
    saveBlob(new Blob([viewer.middleJson], { type: 'application/json' }), `${stem(viewer.fileName)}_middle.json`));
  $('save-zip').addEventListener('click', saveZip);
  $('prev-page').addEventListener('click', () => showPage(viewer.page - 1));
  $('next-page').addEventListener('click', () => showPage(viewer.page + 1));
  $('page-number').addEventListener('change', (event) => showPage(parseInt(event.target.value, 10) - 1));
  $('page-frame').addEventListener('keydown', (event) => {
    const step = { ArrowLeft: -1, ArrowRight: 1, PageUp: -1, PageDown: 1 }[event.key];
    if (!step || event.target !== $('page-frame')) return;
    event.preventDefault();
    showPage(viewer.page + step);
  });
  const tabs = [...document.querySelectorAll('[role=tab]')];
  tabs.forEach((tab, position) => {
    tab.addEventListener('click', () => selectTab(tab.getAttribute('aria-controls')));
    tab.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(position + step + tabs.length) % tabs.length];
      next.focus();
      selectTab(next.getAttribute('aria-controls'));
    });
  });
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (viewer.pdf && !$('job-view').hidden) paintPage(viewer.page); }, 200);
  });
}

// --------------------------------------------------------------- routing

// Back in the list, focus returns to the job that was open.
function route() {
  const match = location.hash.match(/^#\/job\/([\w-]+)$/);
  const leaving = viewer.view?.id;
  $('list-view').hidden = !!match;
  $('job-view').hidden = !match;
  if (match) {
    clearTimeout(jobsTimer);
    openJob(match[1]);
    return;
  }
  closeViewer();
  refreshJobs().then(() => {
    if (leaving) $('jobs').querySelector(`tr[data-id="${leaving}"] a, tr[data-id="${leaving}"] button`)?.focus();
  });
}

async function showServerInfo() {
  try {
    const health = await (await fetch('/health')).json();
    const languages = health.ocr_languages || [];
    $('languages').replaceChildren(...languages.map((lang) => element('option', { value: lang })));
    $('server-info').textContent = `v${health.version} · ${health.device} · ${health.workers} worker${health.workers === 1 ? '' : 's'}`;
  } catch {
    $('server-info').textContent = 'server unreachable';
  }
}

setUpSubmitting();
setUpViewer();
$('job-filter').addEventListener('change', refreshJobs);
window.addEventListener('hashchange', route);
document.addEventListener('visibilitychange', () => { if (!document.hidden && !$('list-view').hidden) refreshJobs(); });
showServerInfo();
route();
