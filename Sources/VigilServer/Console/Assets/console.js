// Vigil's web console: a single page over GuardDuty's own operations, which the server answers at
// /console/api/… for the signed-in caller. No framework and no CDN: DOM built with `el`, text set
// as text (never as HTML), routes in the URL's hash so every view can be linked and reloaded.
'use strict';

const BANDS = [
  { name: 'Critical', css: 'critical', low: 9 },
  { name: 'High', css: 'high', low: 7 },
  { name: 'Medium', css: 'medium', low: 4 },
  { name: 'Low', css: 'low', low: 0 },
];
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-central-1', 'eu-north-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-south-1', 'sa-east-1'];
const PAGE = 50;

const state = { session: null, detector: null, tokens: [], service: null };

function el(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'style') node.style.cssText = value;  // CSSOM: allowed by the page's style-src 'self'
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const kid of kids.flat()) {
    if (kid === undefined || kid === null || kid === false) continue;
    node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return node;
}

function svg(tag, attrs, ...kids) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const kid of kids) node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  return node;
}

class ConsoleError extends Error {}

async function call(method, path, body) {
  const response = await fetch('/console' + path, {
    method, credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Vigil-Console': '1' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (response.status === 401 && path !== '/session') { showSignIn(); throw new ConsoleError('Signed out'); }
  if (!response.ok) throw new ConsoleError(data.message || data.Message || `${response.status}`);
  return data;
}

const gd = (path, body, method = 'POST') => call(method, '/api' + path, body);
const det = (suffix = '') => `/detector/${encodeURIComponent(state.detector)}${suffix}`;

function band(severity) { return BANDS.find((b) => severity >= b.low) || BANDS[BANDS.length - 1]; }
function severityBadge(severity) {
  const b = band(severity);
  return el('span', { class: `sev ${b.css}`, title: `severity ${severity}` }, `${b.name} ${Number(severity).toFixed(1)}`);
}
function when(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; }
function bytes(n) {
  n = Number(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}
function resourceName(f) {
  const r = f.resource || {};
  if (r.instanceDetails && r.instanceDetails.instanceId) return r.instanceDetails.instanceId;
  if (r.accessKeyDetails) return [r.accessKeyDetails.userName, r.accessKeyDetails.accessKeyId].filter(Boolean).join(' · ');
  if (r.s3BucketDetails && r.s3BucketDetails.length) return r.s3BucketDetails.map((b) => b.name).join(', ');
  return r.resourceType || '';
}
function notice(text, kind = 'error') { return el('p', { class: kind, role: kind === 'error' ? 'alert' : 'status' }, text); }

// ---- routing -------------------------------------------------------------------------------

function route() {
  const hash = location.hash || '#/summary';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean);
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.view === parts[0]);
  const main = document.getElementById('main');
  main.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  const views = { summary: showSummary, findings: showFindings, finding: showFinding, settings: showSettings, usage: showUsage };
  const view = views[parts[0]] || showSummary;
  view(main, params, parts.slice(1)).catch((error) => {
    if (!(error instanceof ConsoleError && error.message === 'Signed out')) main.replaceChildren(notice(error.message));
  });
}

function go(view, params) {
  const query = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined)).toString() : '';
  location.hash = `#/${view}${query ? '?' + query : ''}`;
}

// ---- sign-in ---------------------------------------------------------------------------------

function showSignIn(message) {
  state.session = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  const error = el('p', { class: 'error', role: 'alert' }, message || '');
  const key = el('input', { name: 'accessKeyId', autocomplete: 'username', required: true });
  const secret = el('input', { name: 'secretAccessKey', type: 'password', autocomplete: 'current-password', required: true });
  const region = el('select', { name: 'region' }, REGIONS.map((r) => el('option', { value: r }, r)));
  const form = el('form', { class: 'panel signin', id: 'signin', onsubmit: async (event) => {
    event.preventDefault();
    try {
      await call('POST', '/session', { accessKeyId: key.value.trim(), secretAccessKey: secret.value, region: region.value });
      await start();
    } catch (e) { error.textContent = e.message; }
  } },
  el('h1', { text: 'Sign in to Vigil' }),
  el('p', { class: 'muted' }, 'Use an access key from the apiCredentials of the server\'s configuration.'),
  el('label', {}, 'Access key ID', key), el('label', {}, 'Secret access key', secret), el('label', {}, 'Region', region),
  error, el('button', { class: 'primary', type: 'submit' }, 'Sign in'));
  document.getElementById('main').replaceChildren(form);
}

async function start() {
  state.session = await call('GET', '/session');
  document.getElementById('nav').hidden = false;
  document.getElementById('who').hidden = false;
  document.getElementById('account').textContent = `Account ${state.session.accountId}`;
  const region = document.getElementById('region');
  region.replaceChildren(...REGIONS.map((r) => el('option', { value: r, selected: r === state.session.region }, r)));
  const detectors = await gd('/detector', undefined, 'GET');
  state.detector = detectors.detectorIds && detectors.detectorIds[0];
  if (!state.detector) {
    const main = document.getElementById('main');
    main.replaceChildren(el('div', { class: 'panel' },
      el('h1', { text: 'No detector in this region' }),
      el('p', {}, `Account ${state.session.accountId} has no detector in ${state.session.region}. A detector sees the findings of this account and region.`),
      el('button', { class: 'primary', onclick: async () => { await gd('/detector', { enable: true }); await start(); } }, 'Create a detector')));
    return;
  }
  route();
}

// ---- criteria from the filter form ------------------------------------------------------------

function criteriaFrom(p) {
  const c = {};
  const archived = p.get('archived') || 'current';
  if (archived !== 'all') c['service.archived'] = { eq: [archived === 'archived' ? 'true' : 'false'] };
  if (p.get('severity')) c.severity = { gte: Number(p.get('severity')) };
  const type = p.get('type');
  if (type) c.type = type.includes('*') || type.includes('?') ? { matches: [type] } : { eq: [type] };
  if (p.get('account')) c.accountId = { eq: [p.get('account')] };
  if (p.get('region')) c.region = { eq: [p.get('region')] };
  const resource = p.get('resource');
  if (resource) {
    if (/^i-[0-9a-f]+$/.test(resource)) c['resource.instanceDetails.instanceId'] = { eq: [resource] };
    else if (/^A[SK]IA/.test(resource)) c['resource.accessKeyDetails.accessKeyId'] = { eq: [resource] };
    else c['resource.resourceType'] = { eq: [resource] };
  }
  const since = p.get('since'), until = p.get('until');
  if (since || until) {
    c.updatedAt = {};
    if (since) c.updatedAt.gte = Date.parse(since);
    if (until) c.updatedAt.lt = Date.parse(until) + 86400000;
  }
  if (p.get('criteria')) {
    const extra = JSON.parse(p.get('criteria'));
    Object.assign(c, extra.criterion || extra.Criterion || extra);
  }
  return { criterion: c };
}

// ---- summary ----------------------------------------------------------------------------------

async function stats(body) { return (await gd(det('/findings/statistics'), body)).findingStatistics; }

async function showSummary(main) {
  const current = { criterion: { 'service.archived': { eq: ['false'] } } };
  const [severity, types, resources, accounts, dates, usage] = await Promise.all([
    stats({ findingCriteria: current, findingStatisticTypes: ['COUNT_BY_SEVERITY'] }),
    stats({ findingCriteria: current, groupBy: 'FINDING_TYPE', maxResults: 10 }),
    stats({ findingCriteria: current, groupBy: 'RESOURCE', maxResults: 10 }),
    stats({ findingCriteria: current, groupBy: 'ACCOUNT', maxResults: 10 }),
    stats({ findingCriteria: current, groupBy: 'DATE', maxResults: 100, orderBy: 'DESC' }),
    gd(det('/usage/statistics'), { usageStatisticsType: 'SUM_BY_DATA_SOURCE', usageCriteria: { dataSources: ['CLOUD_TRAIL', 'FLOW_LOGS', 'DNS_LOGS'] } }),
  ]);
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const [sev, n] of Object.entries(severity.countBySeverity || {})) counts[band(Number(sev)).css] += n;
  const cards = el('div', { class: 'cards', id: 'severity-cards' }, BANDS.map((b) => el('a', {
    class: `card ${b.css}`, href: `#/findings?severity=${b.low}`, 'data-band': b.css },
  el('div', { class: 'muted' }, b.name), el('div', { class: 'n' }, counts[b.css]))));
  const top = (title, rows, key, link) => el('div', { class: 'panel' }, el('h2', { text: title }),
    rows.length ? el('table', {}, el('tbody', {}, rows.map((r) => el('tr', {},
      el('td', {}, el('a', { href: link(r[key]) }, r[key])),
      el('td', { class: 'num' }, r.totalFindings),
      el('td', { style: 'width:35%' }, el('div', { class: 'bar', style: `width:${Math.max(4, 100 * r.totalFindings / rows[0].totalFindings)}%` })))))) : el('p', { class: 'muted' }, 'None.'));
  const usageRows = (usage.usageStatistics.sumByDataSource || []);
  main.replaceChildren(
    el('h1', { text: 'Summary' }),
    el('p', { class: 'muted' }, `Current (unarchived) findings of account ${state.session.accountId} and its member accounts in ${state.session.region}.`),
    cards,
    el('div', { class: 'panel chart', id: 'timeline' }, el('h2', { text: 'Findings by day of last activity' }), timeline(dates.groupedByDate || [])),
    el('div', { class: 'grid' },
      top('Most frequent finding types', types.groupedByFindingType || [], 'findingType', (t) => `#/findings?type=${encodeURIComponent(t)}`),
      top('Most affected resources', resources.groupedByResource || [], 'resource', (r) => `#/findings?resource=${encodeURIComponent(r)}`),
      top('Accounts', accounts.groupedByAccount || [], 'accountId', (a) => `#/findings?account=${encodeURIComponent(a)}`),
      el('div', { class: 'panel', id: 'usage-summary' }, el('h2', { text: 'Data analysed' }),
        usageRows.length ? el('table', {}, el('tbody', {}, usageRows.map((u) => el('tr', {},
          el('td', {}, sourceName(u.dataSource)), el('td', { class: 'num' }, bytes(u.total.amount)))))) : el('p', { class: 'muted' }, 'Nothing yet.'),
        el('a', { href: '#/usage' }, 'Usage by account and log source'))));
}

function sourceName(source) {
  return { CLOUD_TRAIL: 'CloudTrail management events', FLOW_LOGS: 'VPC Flow Logs', DNS_LOGS: 'Route 53 Resolver query logs' }[source] || source;
}

function timeline(groups) {
  const days = groups.map((g) => ({ date: g.date, n: g.totalFindings })).sort((a, b) => a.date.localeCompare(b.date)).slice(-60);
  if (!days.length) return el('p', { class: 'muted' }, 'No findings yet.');
  const height = 170, max = Math.max(...days.map((d) => d.n)), step = Math.min(48, 900 / days.length);
  const chart = svg('svg', { viewBox: `0 0 ${Math.max(240, days.length * step + 8)} ${height + 20}`, preserveAspectRatio: 'xMinYMin meet',
    role: 'img', 'aria-label': 'Findings per day' });
  days.forEach((d, i) => {
    const h = Math.max(2, (height - 14) * d.n / max);
    const bar = svg('rect', { x: i * step + 2, y: height - h, width: Math.max(2, step - 4), height: h, 'data-date': d.date });
    bar.append(svg('title', {}, `${d.date}: ${d.n}`));
    chart.append(bar);
    if (days.length <= 16 || i % Math.ceil(days.length / 12) === 0) chart.append(svg('text', { x: i * step + 2, y: height + 14 }, d.date.slice(5)));
  });
  chart.append(svg('text', { x: 0, y: 10 }, `max ${max}`));
  return chart;
}

// ---- findings list ------------------------------------------------------------------------------

async function showFindings(main, params) {
  const sort = params.get('sort') || 'updatedAt', order = params.get('order') || 'DESC';
  let criteria;
  try { criteria = criteriaFrom(params); } catch (e) { throw new ConsoleError(`The criteria are not valid JSON: ${e.message}`); }
  const token = params.get('token') || '';
  const [list, filters] = await Promise.all([
    gd(det('/findings'), { findingCriteria: criteria, sortCriteria: { attributeName: sort, orderBy: order }, maxResults: PAGE, nextToken: token }),
    gd(det('/filter'), undefined, 'GET'),
  ]);
  const findings = list.findingIds.length
    ? (await gd(det('/findings/get'), { findingIds: list.findingIds })).findings : [];

  const field = (name, label, input) => el('label', {}, label, input);
  const value = (name) => params.get(name) || '';
  const form = el('form', { class: 'panel filters', id: 'filters', onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = { sort, order };
    for (const [k, v] of data.entries()) if (v) next[k] = String(v).trim();
    if (next.criteria) { try { JSON.parse(next.criteria); } catch (e) { alert(`Criteria: ${e.message}`); return; } }
    go('findings', next);
  } },
  field('severity', 'Severity', el('select', { name: 'severity' }, el('option', { value: '' }, 'Any'),
    BANDS.slice().reverse().map((b) => el('option', { value: b.low, selected: value('severity') === String(b.low) }, `${b.name} and above`)))),
  field('type', 'Finding type (* and ? match)', el('input', { name: 'type', value: value('type'), size: 34, placeholder: 'Recon:EC2/*' })),
  field('account', 'Account', el('input', { name: 'account', value: value('account'), size: 13 })),
  field('region', 'Region', el('input', { name: 'region', value: value('region'), size: 11 })),
  field('resource', 'Resource (instance, access key or type)', el('input', { name: 'resource', value: value('resource'), size: 22 })),
  field('since', 'Updated from', el('input', { name: 'since', type: 'date', value: value('since') })),
  field('until', 'to', el('input', { name: 'until', type: 'date', value: value('until') })),
  field('archived', 'Show', el('select', { name: 'archived' }, [['current', 'Current'], ['archived', 'Archived'], ['all', 'All']]
    .map(([v, t]) => el('option', { value: v, selected: (value('archived') || 'current') === v }, t)))),
  el('label', { style: 'flex-basis:100%' }, 'Any FindingCriteria (JSON, as the API takes it; added to the fields above)',
    el('textarea', { name: 'criteria', rows: 2, placeholder: '{"service.resourceRole": {"eq": ["TARGET"]}}' }, value('criteria'))),
  el('div', { class: 'actions' },
    el('button', { class: 'primary', type: 'submit' }, 'Apply'),
    el('button', { type: 'button', onclick: () => go('findings', {}) }, 'Clear'),
    el('select', { id: 'saved', 'aria-label': 'Saved filters', onchange: async (event) => {
      if (!event.target.value) return;
      const filter = await gd(det(`/filter/${encodeURIComponent(event.target.value)}`), undefined, 'GET');
      go('findings', { criteria: JSON.stringify(filter.findingCriteria), archived: 'all' });
    } }, el('option', { value: '' }, 'Saved filters…'), (filters.filterNames || []).map((n) => el('option', { value: n }, n))),
    el('button', { type: 'button', id: 'save-filter', onclick: () => saveFilter(criteria, 'NOOP') }, 'Save filter'),
    el('button', { type: 'button', id: 'suppress', onclick: () => saveFilter(criteria, 'ARCHIVE') }, 'Create suppression rule')));

  const header = (label, attribute) => el('th', {
    class: `sortable${sort === attribute ? ' sorted' : ''}${sort === attribute && order === 'ASC' ? ' asc' : ''}`,
    onclick: () => go('findings', Object.assign(Object.fromEntries(params), { sort: attribute, order: sort === attribute && order === 'DESC' ? 'ASC' : 'DESC', token: '' })),
  }, label);
  const selected = new Set();
  const bulk = el('div', { class: 'actions' },
    el('button', { type: 'button', id: 'archive-selected', onclick: async () => { await archive([...selected], true); route(); } }, 'Archive selected'),
    el('button', { type: 'button', id: 'unarchive-selected', onclick: async () => { await archive([...selected], false); route(); } }, 'Unarchive selected'));
  const rows = findings.map((f) => el('tr', { class: 'row', 'data-id': f.id, onclick: (event) => {
    if (event.target.tagName !== 'INPUT') go(`finding/${f.id}`);
  } },
  el('td', {}, el('input', { type: 'checkbox', 'aria-label': 'select', onchange: (e) => { if (e.target.checked) selected.add(f.id); else selected.delete(f.id); } })),
  el('td', {}, severityBadge(f.severity)),
  el('td', {}, el('div', {}, f.type), el('div', { class: 'muted' }, f.title)),
  el('td', {}, resourceName(f)),
  el('td', {}, f.accountId),
  el('td', { class: 'num' }, (f.service && f.service.count) || 1),
  el('td', {}, when(f.updatedAt)),
  el('td', {}, f.service && f.service.archived ? 'archived' : '')));

  const tokens = (params.get('tokens') || '').split(',').filter(Boolean);
  const pager = el('div', { class: 'pager' },
    el('span', { class: 'muted', id: 'page-info' }, `${findings.length} shown`),
    el('button', { type: 'button', disabled: !token, onclick: () => {
      const back = tokens.slice(0, -1);
      go('findings', Object.assign(Object.fromEntries(params), { token: tokens[tokens.length - 1] === token ? (back[back.length - 1] || '') : '', tokens: back.join(',') }));
    } }, 'Previous'),
    el('button', { type: 'button', id: 'next-page', disabled: !list.nextToken, onclick: () =>
      go('findings', Object.assign(Object.fromEntries(params), { token: list.nextToken, tokens: [...tokens, list.nextToken].join(',') })) }, 'Next'));

  main.replaceChildren(el('h1', { text: 'Findings' }), form, el('div', { class: 'panel' }, bulk,
    findings.length ? el('table', { id: 'findings' },
      el('thead', {}, el('tr', {}, el('th', {}), header('Severity', 'severity'), header('Finding type', 'type'), el('th', {}, 'Resource'),
        header('Account', 'accountId'), header('Count', 'service.count'), header('Last seen', 'updatedAt'), el('th', {}))),
      el('tbody', {}, rows)) : el('p', { class: 'muted', id: 'no-findings' }, 'No findings match.'),
    pager));
}

async function archive(ids, archived) {
  if (!ids.length) return;
  await gd(det(archived ? '/findings/archive' : '/findings/unarchive'), { findingIds: ids });
}

async function saveFilter(criteria, action) {
  const name = prompt(action === 'ARCHIVE'
    ? 'Name of the suppression rule (findings it matches are archived as they arrive):' : 'Name of the saved filter:');
  if (!name) return;
  try {
    await gd(det('/filter'), { name, action, findingCriteria: criteria, description: action === 'ARCHIVE' ? 'Suppression rule made in the console' : 'Saved in the console' });
    route();
  } catch (e) { alert(e.message); }
}

// ---- one finding --------------------------------------------------------------------------------

async function showFinding(main, params, [id]) {
  const found = (await gd(det('/findings/get'), { findingIds: [id] })).findings;
  if (!found.length) throw new ConsoleError(`No finding ${id} here.`);
  const f = found[0], s = f.service || {}, a = s.action || {};
  const info = (() => { try { return JSON.parse((s.additionalInfo || {}).value || '{}'); } catch { return {}; } })();
  const kv = (pairs) => el('div', { class: 'kv' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [el('div', {}, k), el('div', {}, v)]));
  const remote = (r) => r ? [r.ipAddressV4 || r.ipAddressV6, r.country && r.country.countryName, r.organization && (r.organization.asnOrg || r.organization.org),
    r.organization && r.organization.asn && `AS${r.organization.asn}`, r.city && r.city.cityName].filter(Boolean).join(' · ') : undefined;

  let action = [];
  if (a.awsApiCallAction) {
    const c = a.awsApiCallAction;
    action = [['API', c.api], ['Service', c.serviceName], ['Caller', c.callerType], ['Remote address', remote(c.remoteIpDetails)],
      ['Domain', c.domainDetails && c.domainDetails.domain], ['User agent', c.userAgent], ['Error', c.errorCode]];
  } else if (a.networkConnectionAction) {
    const n = a.networkConnectionAction;
    action = [['Direction', n.connectionDirection], ['Protocol', n.protocol], ['Blocked', String(n.blocked)],
      ['Local', n.localIpDetails && (n.localIpDetails.ipAddressV4 || n.localIpDetails.ipAddressV6)], ['Local port', n.localPortDetails && `${n.localPortDetails.port} ${n.localPortDetails.portName || ''}`],
      ['Remote address', remote(n.remoteIpDetails)], ['Remote port', n.remotePortDetails && `${n.remotePortDetails.port} ${n.remotePortDetails.portName || ''}`]];
  } else if (a.dnsRequestAction) {
    const d = a.dnsRequestAction;
    action = [['Domain', d.domain], ['Protocol', d.protocol], ['Blocked', String(d.blocked)]];
  } else if (a.portProbeAction) {
    action = [['Blocked', String(a.portProbeAction.blocked)], ['Probes', (a.portProbeAction.portProbeDetails || []).map((p) =>
      `${p.localPortDetails && p.localPortDetails.port} from ${remote(p.remoteIpDetails)}`).join('; ')]];
  }
  const r = f.resource || {};
  const resource = [['Type', r.resourceType], ['Instance', r.instanceDetails && r.instanceDetails.instanceId],
    ['Instance type', r.instanceDetails && r.instanceDetails.instanceType], ['Image', r.instanceDetails && r.instanceDetails.imageId],
    ['Access key', r.accessKeyDetails && r.accessKeyDetails.accessKeyId], ['Principal', r.accessKeyDetails && `${r.accessKeyDetails.userType || ''} ${r.accessKeyDetails.userName || ''}`.trim()],
    ['Buckets', r.s3BucketDetails && r.s3BucketDetails.map((b) => b.name).join(', ')]];

  const sections = [
    el('div', { class: 'panel', id: 'what' }, el('h2', { text: 'What happened' }), el('p', {}, f.description),
      kv([['Type', f.type], ['Severity', severityBadge(f.severity)], ['Role of the resource', s.resourceRole],
        ['Count', s.count], ['First seen', when(s.eventFirstSeen)], ['Last seen', when(s.eventLastSeen)],
        ['Account', f.accountId], ['Region', f.region], ['Status', s.archived ? 'Archived' : 'Current'], ['Feedback', s.userFeedback],
        ['Finding ID', f.id]])),
    el('div', { class: 'grid' },
      el('div', { class: 'panel', id: 'resource' }, el('h2', { text: 'Resource' }), kv(resource)),
      el('div', { class: 'panel', id: 'action' }, el('h2', { text: 'Action' }), action.length ? kv(action) : el('p', { class: 'muted' }, 'None recorded.'))),
  ];
  if (f.associatedAttackSequenceArn) {
    // A signal of an attack sequence: the sequence is one click away.
    const sequenceId = f.associatedAttackSequenceArn.split('/').pop();
    sections.push(el('div', { class: 'panel', id: 'part-of-sequence' }, el('h2', { text: 'Part of an attack sequence' }),
      el('p', {}, el('a', { href: `#/finding/${encodeURIComponent(sequenceId)}` }, `Attack sequence ${sequenceId}`))));
  }
  const sequence = s.detection && s.detection.sequence;
  if (sequence) {
    // An attack sequence: its signals as a timeline, oldest first, each linking to its finding.
    const at = (seconds) => when(new Date(Number(seconds) * 1000).toISOString());
    const tags = (indicators) => (indicators || []).flatMap((i) => (i.values || []).map((v) => el('span', { class: 'tag', title: i.key }, `${i.key.toLowerCase().replace(/_/g, ' ')}: ${v}`)));
    const signals = [...(sequence.signals || [])].sort((a, b) => a.firstSeenAt - b.firstSeenAt);
    const actors = (sequence.actors || []).map((a) => a.user ? `${a.user.type} ${a.user.name}${a.user.credentialUid ? ` (${a.user.credentialUid})` : ''}` : a.id).join(', ');
    sections.push(el('div', { class: 'panel', id: 'sequence' }, el('h2', { text: 'Attack sequence' }),
      kv([['Actors', actors], ['Endpoints', (sequence.endpoints || []).map((e) => e.ip || e.domain || e.id).join(', ')],
        ['Resources', (sequence.resources || []).map((r) => `${r.resourceType} ${r.name || r.uid}`).join(', ')],
        ['Indicators', tags(sequence.sequenceIndicators)]]),
      el('ol', { class: 'timeline', id: 'sequence-timeline' }, signals.map((g) => el('li', { 'data-signal': g.uid },
        el('div', {}, el('span', { class: 'muted' }, at(g.firstSeenAt)), ' ', g.severity !== undefined ? severityBadge(g.severity) : '', ' ',
          el('a', { href: `#/finding/${encodeURIComponent(g.uid)}` }, g.name), g.count > 1 ? ` ×${g.count}` : ''),
        el('div', {}, g.description || ''), el('div', {}, tags(g.signalIndicators)))))));
  }
  if (info.ruleTitle) {
    // A Sigma rule's finding: the rule, its references and the false positives its authors expect.
    const links = (info.ruleReferences || '').split(' ').filter(Boolean).map((u) =>
      el('div', {}, /^https?:\/\//.test(u) ? el('a', { href: u, rel: 'noopener noreferrer', target: '_blank' }, u) : u));
    sections.push(el('div', { class: 'panel', id: 'rule' }, el('h2', { text: 'Sigma rule' }),
      kv([['Rule', info.ruleTitle], ['Rule ID', info.ruleId], ['Level', info.ruleLevel], ['Correlation', info.correlationType],
        ['Correlated rules', info.correlatedRules], ['Group', info.correlationGroup], ['Tags', info.ruleTags], ['Author', info.ruleAuthor],
        ['File', info.ruleFile], ['False positives', info.ruleFalsePositives], ['References', links.length ? links : undefined]])));
  }
  const evidence = [];
  for (const t of ((s.evidence || {}).threatIntelligenceDetails || [])) evidence.push(['Threat list', `${t.threatListName}: ${(t.threatNames || []).join(', ')}`]);
  if (info.triggeringEventIds) evidence.push(['Triggering events', info.triggeringEventIds.join(', ')]);
  if (info.evidenceLocations) evidence.push(['Where in the logs', info.evidenceLocations.join('\n')]);
  for (const [k, v] of Object.entries(info)) if (!['triggeringEventIds', 'evidenceLocations', 'sample', 'signals', 'tactics', 'principal'].includes(k) && !/^(rule|correlat)/.test(k)) evidence.push([k, typeof v === 'string' ? v : JSON.stringify(v)]);
  sections.push(el('div', { class: 'panel', id: 'evidence' }, el('h2', { text: 'Evidence' }), evidence.length ? kv(evidence) : el('p', { class: 'muted' }, 'None recorded.')));

  const anomaly = s.detection && s.detection.anomaly;
  if (anomaly) {
    const rows = [];
    const unusual = (anomaly.unusual && anomaly.unusual.behavior) || {};
    const profiles = anomaly.profiles || {};
    for (const scope of new Set([...Object.keys(unusual), ...Object.keys(profiles)])) {
      const features = new Set([...Object.keys(unusual[scope] || {}), ...Object.keys(profiles[scope] || {})]);
      for (const feature of features) {
        const seen = ((profiles[scope] || {})[feature] || []).flatMap((o) => ((o.observations || {}).text || []).map((t) => el('span', { class: 'tag', title: o.profileSubtype }, `${t} (${(o.profileSubtype || '').toLowerCase()})`)));
        const odd = (unusual[scope] || {})[feature];
        rows.push(el('tr', {}, el('td', {}, scope), el('td', {}, feature),
          el('td', {}, seen.length ? seen : el('span', { class: 'muted' }, 'nothing yet')),
          el('td', {}, odd ? ((odd.observations || {}).text || []).map((t) => el('span', { class: 'tag unusual', title: odd.profileSubtype }, `${t} (${(odd.profileSubtype || '').toLowerCase()})`)) : '')));
      }
    }
    sections.push(el('div', { class: 'panel', id: 'anomaly' }, el('h2', { text: 'Profiled behaviour and what was unusual' }),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Profile'), el('th', {}, 'Feature'), el('th', {}, 'Usually'), el('th', {}, 'This time'))),
        el('tbody', {}, rows))));
  }
  const json = JSON.stringify(f, null, 2);
  const status = el('span', { class: 'ok', id: 'action-status', role: 'status' });
  const act = async (label, work) => { try { await work(); status.textContent = label; setTimeout(route, 300); } catch (e) { status.className = 'error'; status.textContent = e.message; } };
  main.replaceChildren(
    el('p', {}, el('a', { href: '#/findings' }, '← Findings')),
    el('h1', { text: f.title }),
    el('div', { class: 'actions' },
      s.archived
        ? el('button', { id: 'unarchive', onclick: () => act('Unarchived', () => archive([f.id], false)) }, 'Unarchive')
        : el('button', { id: 'archive', onclick: () => act('Archived', () => archive([f.id], true)) }, 'Archive'),
      el('button', { id: 'useful', title: 'Useful', 'aria-pressed': String(s.userFeedback === 'USEFUL'), onclick: () => act('Marked useful',
        () => gd(det('/findings/feedback'), { findingIds: [f.id], feedback: 'USEFUL' })) }, 'Useful'),
      el('button', { id: 'not-useful', title: 'Not useful', 'aria-pressed': String(s.userFeedback === 'NOT_USEFUL'), onclick: () => act('Marked not useful',
        () => gd(det('/findings/feedback'), { findingIds: [f.id], feedback: 'NOT_USEFUL', comments: 'from the console' })) }, 'Not useful'),
      el('button', { id: 'copy-json', onclick: () => copy(json, status) }, 'Copy JSON'),
      status),
    ...sections,
    el('div', { class: 'panel' }, el('h2', { text: 'GuardDuty JSON' }), el('pre', { id: 'raw-json' }, json)));
}

async function copy(text, status) {
  try {
    if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
    else {
      const area = el('textarea', { style: 'position:fixed;opacity:0' }, text);
      document.body.append(area); area.select(); document.execCommand('copy'); area.remove();
    }
    status.textContent = 'JSON copied';
  } catch (e) { status.textContent = `Copy failed: ${e.message}`; }
}

// ---- usage --------------------------------------------------------------------------------------

async function showUsage(main) {
  const sources = ['CLOUD_TRAIL', 'FLOW_LOGS', 'DNS_LOGS'];
  const get = (type) => gd(det('/usage/statistics'), { usageStatisticsType: type, usageCriteria: { dataSources: sources } });
  const [bySource, byAccount, byResource] = await Promise.all([get('SUM_BY_DATA_SOURCE'), get('SUM_BY_ACCOUNT'), get('SUM_BY_RESOURCE')]);
  const table = (rows, key, name) => rows.length ? el('table', {}, el('tbody', {}, rows.map((r) => el('tr', {},
    el('td', {}, name ? name(r[key]) : r[key]), el('td', { class: 'num' }, bytes(r.total.amount)))))) : el('p', { class: 'muted' }, 'Nothing yet.');
  main.replaceChildren(el('h1', { text: 'Usage: data analysed' }),
    el('div', { class: 'grid' },
      el('div', { class: 'panel', id: 'by-source' }, el('h2', { text: 'By data source' }), table(bySource.usageStatistics.sumByDataSource || [], 'dataSource', sourceName)),
      el('div', { class: 'panel' }, el('h2', { text: 'By account' }), table(byAccount.usageStatistics.sumByAccount || [], 'accountId')),
      el('div', { class: 'panel' }, el('h2', { text: 'By log source' }), table(byResource.usageStatistics.sumByResource || [], 'resource'))));
}

// ---- settings -----------------------------------------------------------------------------------

async function showSettings(main) {
  const [detector, ipsets, threatsets, destinations, members, filters, service] = await Promise.all([
    gd(det(), undefined, 'GET'), gd(det('/ipset'), undefined, 'GET'), gd(det('/threatintelset'), undefined, 'GET'),
    gd(det('/publishingDestination'), undefined, 'GET'), gd(det('/member'), undefined, 'GET'), gd(det('/filter'), undefined, 'GET'),
    call('GET', '/service'),
  ]);
  const sets = async (kind, ids) => Promise.all(ids.map(async (id) => Object.assign({ id }, await gd(det(`/${kind}/${id}`), undefined, 'GET'))));
  const [ips, threats, rules] = await Promise.all([sets('ipset', ipsets.ipSetIds || []), sets('threatintelset', threatsets.threatIntelSetIds || []),
    Promise.all((filters.filterNames || []).map((n) => gd(det(`/filter/${encodeURIComponent(n)}`), undefined, 'GET')))]);
  const status = el('p', { role: 'status', id: 'settings-status' });
  // Lists are read off the request path: while one is activating, look again shortly.
  if ([...ips, ...threats].some((s) => s.status === 'ACTIVATING')) {
    setTimeout(() => { if (location.hash.startsWith('#/settings')) route(); }, 1000);
  }
  const attempt = async (work) => { try { await work(); route(); } catch (e) { status.className = 'error'; status.textContent = e.message; } };

  const frequency = el('select', { id: 'frequency' }, ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'].map((f) => el('option', { value: f, selected: detector.findingPublishingFrequency === f }, f)));
  const enabled = detector.status === 'ENABLED';
  const listPanel = (title, id, kind, items) => {
    const name = el('input', { placeholder: 'name', size: 14 }), location = el('input', { placeholder: 'path, file:// or https:// URL', size: 34 });
    const format = el('select', {}, ['TXT', 'STIX', 'OTX_CSV', 'ALIEN_VAULT', 'PROOF_POINT', 'FIRE_EYE'].map((f) => el('option', { value: f }, f)));
    return el('div', { class: 'panel', id }, el('h2', { text: title }),
      items.length ? el('table', {}, el('thead', {}, el('tr', {}, ['Name', 'Format', 'Location', 'Status', ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, items.map((s) => el('tr', {}, el('td', {}, s.name), el('td', {}, s.format), el('td', {}, s.location),
          el('td', {}, s.status, s.errorDetails ? el('div', { class: 'error' }, s.errorDetails) : ''),
          el('td', {}, el('button', { onclick: () => attempt(() => gd(det(`/${kind}/${s.id}`), undefined, 'DELETE')) }, 'Delete'))))))
        : el('p', { class: 'muted' }, 'None.'),
      el('div', { class: 'actions' }, name, format, location, el('button', { onclick: () => attempt(() =>
        gd(det(`/${kind}`), { name: name.value, format: format.value, location: location.value, activate: true })) }, 'Add')));
  };
  const arn = el('input', { placeholder: 'arn:aws:s3:::bucket/prefix or file:///folder', size: 40 });
  // The server's own settings (webhook URLs, paths) are shown to its administrators only.
  const adminOnly = (value) => service.serverAdministrator ? value : el('span', { class: 'muted' }, "shown to the server's administrators");
  const memberId = el('input', { placeholder: 'account ID', size: 14 }), email = el('input', { placeholder: 'email', size: 22 });
  main.replaceChildren(el('h1', { text: 'Settings' }), status,
    el('div', { class: 'panel', id: 'detector' }, el('h2', { text: 'Detector' }),
      el('div', { class: 'kv' }, el('div', {}, 'Detector ID'), el('div', {}, state.detector), el('div', {}, 'Status'),
        el('div', {}, el('span', { class: enabled ? 'ok' : 'error' }, detector.status)),
        el('div', {}, 'Publishing frequency'), el('div', {}, frequency), el('div', {}, 'Watched folders'), el('div', {}, adminOnly((service.watch || []).join(', ') || 'none'))),
      el('div', { class: 'actions' },
        el('button', { id: 'toggle-detector', onclick: () => attempt(() => gd(det(), { enable: !enabled })) }, enabled ? 'Suspend' : 'Enable'),
        el('button', { onclick: () => attempt(() => gd(det(), { findingPublishingFrequency: frequency.value })) }, 'Save frequency'))),
    listPanel('Trusted IP lists', 'ipsets', 'ipset', ips),
    listPanel('Threat lists', 'threatsets', 'threatintelset', threats),
    el('div', { class: 'panel', id: 'rules' }, el('h2', { text: 'Saved filters and suppression rules' }),
      rules.length ? el('table', {}, el('tbody', {}, rules.map((r) => el('tr', {}, el('td', {}, r.name),
        el('td', {}, r.action === 'ARCHIVE' ? 'suppression rule' : 'saved filter'), el('td', {}, el('code', {}, JSON.stringify(r.findingCriteria))),
        el('td', {}, el('button', { onclick: () => attempt(() => gd(det(`/filter/${encodeURIComponent(r.name)}`), undefined, 'DELETE')) }, 'Delete'))))))
        : el('p', { class: 'muted' }, 'None. Make them from the findings list.')),
    el('div', { class: 'panel', id: 'destinations' }, el('h2', { text: 'Publishing destinations' }),
      (destinations.destinations || []).length ? el('table', {}, el('tbody', {}, destinations.destinations.map((d) => el('tr', {},
        el('td', {}, d.destinationId), el('td', {}, d.destinationType), el('td', {}, d.status),
        el('td', {}, el('button', { onclick: () => attempt(() => gd(det(`/publishingDestination/${d.destinationId}`), undefined, 'DELETE')) }, 'Delete'))))))
        : el('p', { class: 'muted' }, 'None.'),
      el('div', { class: 'actions' }, arn, el('button', { onclick: () => attempt(() => gd(det('/publishingDestination'),
        { destinationType: 'S3', destinationProperties: { destinationArn: arn.value, kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/vigil-local' } })) }, 'Add'))),
    el('div', { class: 'panel', id: 'delivery' }, el('h2', { text: 'Webhooks and files (configuration file)' }),
      el('div', { class: 'kv' }, el('div', {}, 'Webhooks'), el('div', {}, adminOnly((service.webhooks || []).join(', ') || 'none')),
        el('div', {}, 'Files'), el('div', {}, adminOnly((service.files || []).join(', ') || 'none')),
        el('div', {}, 'Events waiting'), el('div', {}, String(service.outbox)))),
    el('div', { class: 'panel', id: 'members' }, el('h2', { text: 'Members' }),
      (members.members || []).length ? el('table', {}, el('thead', {}, el('tr', {}, ['Account', 'Email', 'Status', 'Updated'].map((h) => el('th', {}, h)))),
        el('tbody', {}, members.members.map((m) => el('tr', {}, el('td', {}, m.accountId), el('td', {}, m.email), el('td', {}, m.relationshipStatus), el('td', {}, when(m.updatedAt))))))
        : el('p', { class: 'muted' }, 'None.'),
      el('div', { class: 'actions' }, memberId, email,
        el('button', { onclick: () => attempt(async () => {
          await gd(det('/member'), { accountDetails: [{ accountId: memberId.value, email: email.value }] });
          await gd(det('/member/invite'), { accountIds: [memberId.value] });
        }) }, 'Add and invite'))));
}

// ---- start --------------------------------------------------------------------------------------

window.addEventListener('hashchange', () => { if (state.session && state.detector) route(); });
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('signout').addEventListener('click', async () => { await call('DELETE', '/session'); showSignIn(); });
  document.getElementById('region').addEventListener('change', async (event) => {
    await call('PUT', '/session', { region: event.target.value });
    await start();
  });
  start().catch(() => showSignIn());
});
