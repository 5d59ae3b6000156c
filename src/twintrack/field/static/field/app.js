// The field app: records visits, findings with photos, requirements and responses on the phone
// (IndexedDB), and sends them through the HTTP API when a network returns. Every record carries a
// client id (a UUID made here): resending it answers the record already made, so nothing doubles.
// The server decides what is valid; this script only asks for the required fields.
"use strict";

const T = JSON.parse(document.getElementById("field-strings").textContent);
const SETUP = JSON.parse(document.getElementById("field-setup").textContent);
const API = SETUP.api;
const MAX_SIDE = 1600;
const screen = document.getElementById("screen");

// --- IndexedDB: "meta" (token, downloaded round), "records" (the queue), "photos" (blobs) ------

let dbPromise = null;

function db() {
  dbPromise = dbPromise || new Promise((resolve, reject) => {
    const open = indexedDB.open("twintrack-field", 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore("meta");
      open.result.createObjectStore("records", { keyPath: "id" });
      open.result.createObjectStore("photos", { keyPath: "id" });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  return dbPromise;
}

async function store(name, mode, work) {
  const tx = (await db()).transaction(name, mode);
  const result = work(tx.objectStore(name));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

const getMeta = (key) => store("meta", "readonly", (s) => s.get(key));
const setMeta = (key, value) => store("meta", "readwrite", (s) => s.put(value, key));
const all = (name) => store(name, "readonly", (s) => s.getAll());
const put = (name, value) => store(name, "readwrite", (s) => s.put(value));
const remove = (name, key) => store(name, "readwrite", (s) => s.delete(key));

// --- small helpers -------------------------------------------------------------------------

function say(text, tone) {
  const box = document.getElementById("message");
  box.textContent = text;
  box.className = "message " + (tone || "");
  box.hidden = !text;
}

function fmt(text, values) {
  return text.replace(/%\((\w+)\)s/g, (_m, key) => values[key]);
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => {
    if (value === false || value === null || value === undefined) return;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  });
  children.flat().forEach((child) => child && node.append(child));
  return node;
}

function field(label, control) {
  return el("label", { class: "field" }, el("span", { text: label }), control);
}

function select(name, options, value, blank) {
  const choices = (blank ? [["", T.none]] : []).concat(options);
  return el("select", { name }, choices.map(([key, label]) =>
    el("option", { value: key, selected: key === value, text: label })));
}

function named(obj) {
  return SETUP.lang === "en" && obj.name_en ? obj.name_en : obj.name_zh;
}

function today() {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function formValues(form) {
  const values = {};
  form.querySelectorAll("[name]").forEach((input) => {
    if (input.closest("[data-finding]") && !form.hasAttribute("data-finding")) return;
    if (input.type === "checkbox") {
      if (input.dataset.many) (values[input.name] = values[input.name] || []).push(...(input.checked ? [input.value] : []));
      else values[input.name] = input.checked;
    } else if (input.type !== "file") values[input.name] = input.value.trim();
  });
  return values;
}

function missing(values, required) {
  const gap = required.find((key) => !values[key]);
  if (gap) say(fmt(T.required, { field: T[gap] || gap }), "error");
  return Boolean(gap);
}

// --- the downloaded round --------------------------------------------------------------------

let ref = null;

async function fetchAll(path, token) {
  let url = `${API}${path}${path.includes("?") ? "&" : "?"}page_size=1000`;
  const rows = [];
  while (url) {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw response;
    const page = await response.json();
    if (!Array.isArray(page) && !("results" in page)) return page;  // one object, not a list
    rows.push(...(Array.isArray(page) ? page : page.results));
    url = Array.isArray(page) ? null : page.next && new URL(page.next).pathname + new URL(page.next).search;
  }
  return rows;
}

async function download() {
  const token = await getMeta("token");
  if (!navigator.onLine) return say(T.needs_network, "error");
  say(T.downloading);
  try {
    const [groups, keyTasks, requirements] = await Promise.all([fetchAll("/supervision/groups", token),
      fetchAll("/supervision/key-tasks", token), fetchAll("/supervision/requirements", token)]);
    const packs = await Promise.all(groups.map((g) =>
      fetchAll(`/supervision/groups/${encodeURIComponent(g.code)}/coverage`, token)));
    const merged = (key, id) => Object.values(Object.fromEntries(packs.flatMap((p) => p[key]).map((x) => [x[id], x])));
    ref = { groups, keyTasks, units: merged("units", "code"), enterprises: merged("enterprises", "uscc"),
            projects: merged("projects", "code"), at: new Date().toLocaleString(),
            requirements: requirements.filter((r) => r.status !== "verified") };
    await setMeta("ref", ref);
    say("");
    render();
  } catch (failure) {
    await refusedToken(failure) || say(T.sync_stopped, "error");
  }
}

async function refusedToken(failure) {
  if (failure && failure.status === 401) {
    await setMeta("token", null);
    say(T.token_dead, "error");
    render();
    return true;
  }
  return false;
}

// Units a group covers, with everything below them.
function unitsOf(group) {
  const roots = ref.units.filter((u) => group.units.includes(u.code));
  const byCode = Object.fromEntries(ref.units.map((u) => [u.code, u]));
  const under = (u) => u && (roots.includes(u) || under(byCode[u.parent]));
  return ref.units.filter((u) => under(u));
}

function enterprisesUnder(unitCode) {
  const byCode = Object.fromEntries(ref.units.map((u) => [u.code, u]));
  const inside = (code) => code && (code === unitCode || inside((byCode[code] || {}).parent));
  return ref.enterprises.filter((e) => inside(e.org));
}

// --- photos: re-encoded on the phone (no EXIF survives), at most 1600 px ----------------------

async function compress(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
  const thumb = document.createElement("canvas");
  const t = 160 / Math.max(canvas.width, canvas.height);
  thumb.width = Math.round(canvas.width * t);
  thumb.height = Math.round(canvas.height * t);
  thumb.getContext("2d").drawImage(canvas, 0, 0, thumb.width, thumb.height);
  return { blob, thumb: thumb.toDataURL("image/jpeg", 0.7) };
}

function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude.toFixed(6), longitude: p.coords.longitude.toFixed(6) }),
      () => resolve(null), { timeout: 10000, maximumAge: 60000 });
  });
}

async function savePhotos(container, recordId, kind) {
  for (const input of container.querySelectorAll("input[type=file]")) {
    if (!input.files.length) continue;
    const keep = container.querySelector("input[name=keep_location]");
    const where = keep && keep.checked ? await position() : null;
    for (const file of input.files) {
      let compressed;
      try { compressed = await compress(file); } catch (error) { say(T.photo_failed, "error"); continue; }
      const { blob, thumb } = compressed;
      await put("photos", { id: newId(), record: recordId, kind, blob, thumb, name: "photo.jpg",
                            ...(where || {}), state: "waiting", created: Date.now() });
    }
  }
}

// --- screens ---------------------------------------------------------------------------------

async function render() {
  screen.replaceChildren();
  const token = await getMeta("token");
  if (!token) return renderSetup();
  ref = ref || await getMeta("ref");
  await renderHome();
  await showQueue();
}

function renderSetup() {
  screen.append(el("section", { class: "card" },
    el("p", { text: T.setup_needed }),
    el("button", { type: "button", class: "primary", id: "setup", onclick: setUp, text: T.setup })));
  showQueue();
}

async function setUp() {
  if (!navigator.onLine) return say(T.needs_network, "error");
  const response = await fetch(SETUP.token_url, {
    method: "POST", credentials: "same-origin",
    headers: { "X-CSRFToken": document.getElementById("csrf").value } });
  if (!response.ok) return say(T.needs_network, "error");
  const issued = await response.json();
  await setMeta("token", issued.token);
  say(T.setup_done, "ok");
  render();
}

async function renderHome() {
  const supervisor = SETUP.role === "supervisor" || SETUP.role === "bureau";
  const round = el("section", { class: "card" },
    el("p", { class: "muted", id: "downloaded", text: ref ? fmt(ref.groups.length ? T.downloaded : T.downloaded_requirements, {
      when: ref.at, groups: ref.groups.length, units: ref.units.length, enterprises: ref.enterprises.length,
      projects: ref.projects.length, requirements: ref.requirements.length }) : T.not_downloaded }),
    el("button", { type: "button", id: "download", onclick: download, text: T.download }));
  screen.append(round);
  if (!ref) return;
  if (supervisor && ref.groups.length) {
    screen.append(el("div", { class: "actions" },
      el("button", { type: "button", class: "primary", id: "new-visit", onclick: () => visitForm(), text: T.new_visit }),
      el("button", { type: "button", id: "new-requirement", onclick: () => requirementForm(), text: T.new_requirement })));
  }
  if (SETUP.role === "district" || SETUP.role === "enterprise") screen.append(openRequirements(await all("records")));
  else if (!supervisor) screen.append(el("p", { class: "card muted", text: T.no_role }));
  screen.append(el("section", { class: "card" }, el("h2", { text: T.on_phone }), el("ul", { id: "records", class: "records" })));
}

function openRequirements(records) {
  const answered = new Set(records.filter((r) => r.kind === "response").map((r) => r.target));
  const rows = ref.requirements.filter((r) => (r.status === "issued" || r.status === "returned") && !answered.has(r.code));
  return el("section", { class: "card" }, el("h2", { text: T.open_requirements }),
    rows.length ? el("ul", { class: "records" }, rows.map((r) => el("li", { class: "record" },
      el("strong", { text: r.code }), el("p", { text: r.text }), el("p", { class: "muted", text: `${T.due_date}: ${r.due_date}` }),
      el("button", { type: "button", class: "answer", onclick: () => responseForm(r), text: T.answer }))))
      : el("p", { class: "muted", text: T.no_open_requirements }));
}

function formShell(title, body, onsave) {
  screen.replaceChildren();
  const form = el("form", { class: "card form", novalidate: true }, el("h2", { text: title }), body,
    el("div", { class: "actions" },
      el("button", { type: "submit", class: "primary", text: T.save }),
      el("button", { type: "button", onclick: render, text: T.cancel })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      if (await onsave(form) !== false) { say(T.saved, "ok"); await render(); }
    } finally { button.disabled = false; }
  });
  screen.append(form);
  window.scrollTo(0, 0);
  return form;
}

function photoInputs() {
  return [field(T.photo, el("input", { type: "file", name: "photo", accept: "image/*", capture: "environment" })),
    el("label", { class: "check" }, el("input", { type: "checkbox", name: "keep_location" }), el("span", { text: T.keep_location }))];
}

function findingBlock(unitCode) {
  const firms = unitCode ? enterprisesUnder(unitCode) : [];
  const uscc = new Set(firms.map((e) => e.uscc));
  const block = el("fieldset", { class: "finding", "data-finding": true },
    field(T.kind, select("kind", ["problem", "progress", "highlight", "plan"].map((k) => [k, T[`kind_${k}`]]), "problem")),
    field(T.text, el("textarea", { name: "text", rows: 3 })),
    field(T.enterprise, select("enterprise", firms.map((e) => [e.uscc, named(e)]), "", true)),
    field(T.project, select("project", ref.projects.filter((p) => uscc.has(p.enterprise)).map((p) => [p.code, `${p.code} ${p.title}`]), "", true)),
    photoInputs());
  block.prepend(el("button", { type: "button", class: "link remove", onclick: () => block.remove(), text: T.remove }));
  return block;
}

function visitForm(record) {
  const body = record ? record.body : { date: today() };
  const groups = ref.groups;
  const groupSelect = select("group", groups.map((g) => [g.code, `${named(g)} · ${g.round}`]), body.group);
  const unitBox = el("div");
  const firmBox = el("div", { class: "checks" });
  const findings = el("div", { id: "findings" });
  const drawUnits = () => {
    const group = groups.find((g) => g.code === groupSelect.value) || groups[0];
    const unitSelect = select("org", unitsOf(group).map((u) => [u.code, named(u)]), body.org);
    unitSelect.addEventListener("change", drawFirms);
    unitBox.replaceChildren(field(T.unit, unitSelect));
    drawFirms();
  };
  const drawFirms = () => {
    const unit = unitBox.querySelector("select").value;
    firmBox.replaceChildren(el("span", { class: "legend", text: T.enterprises }), ...enterprisesUnder(unit).map((e) =>
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "enterprises", "data-many": "1", value: e.uscc,
        checked: (body.enterprises || []).includes(e.uscc) }), el("span", { text: named(e) }))));
  };
  groupSelect.addEventListener("change", drawUnits);
  const parts = [field(T.group, groupSelect), unitBox, field(T.date, el("input", { type: "date", name: "date", value: body.date })),
    firmBox, field(T.attendees, el("textarea", { name: "attendees", rows: 2, text: body.attendees || "" })),
    field(T.note, el("textarea", { name: "note", rows: 2, text: body.note || "" }))];
  if (!record) {
    parts.push(el("h3", { text: T.findings }), findings, el("button", { type: "button", id: "add-finding",
      onclick: () => findings.append(findingBlock(unitBox.querySelector("select").value)), text: T.add_finding }));
  }
  formShell(T.new_visit, parts, async (form) => {
    const values = formValues(form);
    values.enterprises = values.enterprises || [];
    if (missing(values, ["group", "org", "date"])) return false;
    const blocks = [...form.querySelectorAll("[data-finding]")].map((b) => [b, formValues(b)]);
    for (const [, f] of blocks) if (missing(f, ["text"])) return false;
    if (record) return resend(record, values);
    const visit = { id: newId(), kind: "visit", body: values, state: "waiting", created: Date.now() };
    await put("records", visit);
    let n = 1;
    for (const [block, f] of blocks) {
      const finding = { id: newId(), kind: "finding", parent: visit.id, state: "waiting", created: Date.now() + n++,
                        body: { kind: f.kind, text: f.text, enterprise: f.enterprise || null, project: f.project || null } };
      await put("records", finding);
      await savePhotos(block, finding.id, "finding");
    }
  });
  drawUnits();
}

function requirementForm(record) {
  const body = record ? record.body : {};
  const groupSelect = select("group", ref.groups.map((g) => [g.code, `${named(g)} · ${g.round}`]), body.group);
  const unitBox = el("div");
  const drawUnits = () => {
    const group = ref.groups.find((g) => g.code === groupSelect.value) || ref.groups[0];
    const units = unitsOf(group);
    const firms = units.flatMap((u) => ref.enterprises.filter((e) => e.org === u.code));
    unitBox.replaceChildren(field(T.addressee_unit, select("org", units.map((u) => [u.code, named(u)]), body.org, true)),
      field(T.addressee_enterprise, select("enterprise", firms.map((e) => [e.uscc, named(e)]), body.enterprise, true)));
  };
  groupSelect.addEventListener("change", drawUnits);
  formShell(T.new_requirement, [field(T.group, groupSelect), unitBox,
    field(T.key_task, select("key_task", ref.keyTasks.map((t) => [t.code, `${t.number}. ${named(t)}`]), body.key_task)),
    field(T.requirement, el("textarea", { name: "text", rows: 4, text: body.text || "" })),
    field(T.due_date, el("input", { type: "date", name: "due_date", value: body.due_date || "" })),
    field(T.owner, el("input", { type: "text", name: "owner", value: body.owner || "" }))], async (form) => {
    const values = formValues(form);
    if (missing(values, ["group", "key_task", "text", "due_date"])) return false;
    values.round = ref.groups.find((g) => g.code === values.group).round;
    values.org = values.org || null;
    values.enterprise = values.enterprise || null;
    if (record) return resend(record, values);
    await put("records", { id: newId(), kind: "requirement", body: values, state: "waiting", created: Date.now() });
  });
  drawUnits();
}

function responseForm(requirement, record) {
  const body = record ? record.body : {};
  formShell(`${T.answer} ${requirement.code}`, [el("p", { class: "quote", text: requirement.text }),
    field(T.response, el("textarea", { name: "text", rows: 4, text: body.text || "" })),
    record ? null : field(T.evidence, el("input", { type: "file", name: "photo", accept: "image/*", capture: "environment" }))],
  async (form) => {
    const values = formValues(form);
    if (missing(values, ["text"])) return false;
    if (record) return resend(record, values);
    const response = { id: newId(), kind: "response", target: requirement.code, body: values, state: "waiting",
                       created: Date.now() };
    await put("records", response);
    await savePhotos(form, response.id, "response");
  });
}

async function resend(record, values) {
  Object.assign(record, { body: { ...record.body, ...values }, state: "waiting", detail: "" });
  await put("records", record);
}

// --- the queue ---------------------------------------------------------------------------------

function describe(record) {
  const b = record.body;
  if (record.kind === "visit") return `${b.date} · ${(ref && ref.units.find((u) => u.code === b.org) || { name_zh: b.org }).name_zh}`;
  if (record.kind === "response") return b.text;
  return b.text;
}

async function showQueue() {
  const [records, photos] = await Promise.all([all("records"), all("photos")]);
  const open = records.filter((r) => r.state !== "sent");
  const photosOpen = photos.filter((p) => p.state !== "sent");
  const count = document.getElementById("queue-count");
  count.textContent = open.length === 1 ? T.waiting_one : open.length ? fmt(T.waiting, { n: open.length }) : T.nothing_waiting;
  if (photosOpen.length) count.textContent += ` · ${fmt(T.photos_waiting, { n: photosOpen.length })}`;
  count.dataset.records = open.length;
  count.dataset.photos = photosOpen.length;
  const list = document.getElementById("records");
  if (!list) return;
  records.sort((a, b) => a.created - b.created);
  list.replaceChildren(...(records.length ? records.map((r) => recordItem(r, records, photos))
    : [el("li", { class: "muted", text: T.nothing_on_phone })]));
}

function recordItem(record, records, photos) {
  const parent = records.find((r) => r.id === record.parent);
  const blocked = record.state === "waiting" && parent && parent.state !== "sent";
  const state = blocked ? "blocked" : record.state;
  const mine = photos.filter((p) => p.record === record.id);
  const thumbs = mine.map((p) => el("img", { src: p.thumb, alt: T.photo, class: "thumb" }));
  if (mine.some((p) => p.latitude)) thumbs.push(el("span", { class: "muted", text: T.location_kept }));
  const item = el("li", { class: `record state-${state}`, "data-kind": record.kind, "data-state": state },
    el("div", { class: "record-head" }, el("strong", { text: T[`kind_${record.kind}`] + (record.code ? ` ${record.code}` : "") }),
      el("span", { class: "badge", text: T[`state_${state}`] })),
    el("p", { text: describe(record) }), thumbs.length ? el("div", { class: "thumbs" }, thumbs) : null,
    mine.filter((p) => p.state === "refused").map((p) => el("p", { class: "reason", text: `${T.photo}: ${p.detail}` })));
  if (record.state === "refused") {
    item.append(el("p", { class: "reason", text: record.detail }), el("div", { class: "actions" },
      el("button", { type: "button", class: "edit", onclick: () => edit(record), text: T.edit }),
      el("button", { type: "button", class: "discard", onclick: () => discard(record, records, photos), text: T.discard })));
  }
  return item;
}

function edit(record) {
  if (record.kind === "visit") return visitForm(record);
  if (record.kind === "requirement") return requirementForm(record);
  if (record.kind === "response") {
    return responseForm((ref.requirements.find((r) => r.code === record.target) || { code: record.target, text: "" }), record);
  }
  formShell(T.kind_finding, [field(T.text, el("textarea", { name: "text", rows: 4, text: record.body.text }))],
    async (form) => resend(record, formValues(form)));
}

async function discard(record, records, photos) {
  if (!window.confirm(T.discard_confirm)) return;
  const doomed = [record, ...records.filter((r) => r.parent === record.id && r.state !== "sent")];
  for (const r of doomed) {
    await remove("records", r.id);
    for (const p of photos.filter((x) => x.record === r.id)) await remove("photos", p.id);
  }
  render();
}

// --- sending ---------------------------------------------------------------------------------

class Offline extends Error {}

async function send(token, path, init) {
  let response;
  try {
    response = await fetch(API + path, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers || {}) } });
  } catch (error) {
    throw new Offline();
  }
  if (response.status === 401) throw response;
  if (response.status === 429 || response.status >= 500) throw new Offline();
  const answer = await response.json().catch(() => ({}));
  return { ok: response.ok, answer };
}

function reasonOf(problem) {
  const messages = (problem.errors || []).map((e) => (e.column ? `${e.column}: ${e.message}` : e.message));
  return [problem.detail, ...messages.filter((m) => m !== problem.detail)].filter(Boolean).join(" · ");
}

function bodyFor(record, records) {
  const b = { ...record.body, client_id: record.id };
  if (record.kind === "finding") b.visit = records.find((r) => r.id === record.parent).code;
  if (record.kind === "requirement" && record.parent) b.visit = records.find((r) => r.id === record.parent).code;
  if (record.kind === "requirement") delete b.group;
  return b;
}

const PATHS = { visit: () => "/supervision/visits", finding: () => "/supervision/findings",
  requirement: () => "/supervision/requirements",
  response: (r) => `/supervision/requirements/${encodeURIComponent(r.target)}/responses` };

async function sendRecord(token, record, records) {
  const { ok, answer } = await send(token, PATHS[record.kind](record), {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(bodyFor(record, records)) });
  Object.assign(record, ok ? { state: "sent", code: answer.code || answer.requirement, detail: "" }
    : { state: "refused", detail: reasonOf(answer) });
  await put("records", record);
}

async function sendPhoto(token, photo, record) {
  const data = new FormData();
  data.append("file", photo.blob, photo.name);
  data.append("client_id", photo.id);
  if (photo.latitude) { data.append("latitude", photo.latitude); data.append("longitude", photo.longitude); }
  const path = record.kind === "finding" ? `/supervision/findings/${encodeURIComponent(record.code)}/attachments`
    : `/supervision/requirements/${encodeURIComponent(record.target)}/evidence`;
  const { ok, answer } = await send(token, path, { method: "POST", body: data });
  Object.assign(photo, ok ? { state: "sent", blob: null } : { state: "refused", detail: reasonOf(answer) });
  await put("photos", photo);
}

let syncing = false;

async function sync() {
  const token = await getMeta("token");
  if (!token || syncing) return;
  syncing = true;
  const button = document.getElementById("sync");
  button.disabled = true;
  say(T.syncing);
  try {
    const records = (await all("records")).sort((a, b) => a.created - b.created);
    for (const record of records) {
      const parent = records.find((r) => r.id === record.parent);
      if (record.state === "waiting" && (!parent || parent.state === "sent")) await sendRecord(token, record, records);
    }
    for (const photo of await all("photos")) {
      const record = records.find((r) => r.id === photo.record);
      if (photo.state === "waiting" && record && record.state === "sent") await sendPhoto(token, photo, record);
    }
    const refused = (await all("records")).filter((r) => r.state === "refused").length;
    say(refused ? fmt(T.refused_some, { n: refused }) : T.sync_done, refused ? "error" : "ok");
  } catch (failure) {
    if (!(await refusedToken(failure))) say(T.sync_stopped, "error");
  } finally {
    syncing = false;
    button.disabled = false;
    await showQueue();
  }
}

// --- start -----------------------------------------------------------------------------------

function showNetwork() {
  const net = document.getElementById("net");
  net.textContent = navigator.onLine ? T.online : T.offline_short;
  net.title = navigator.onLine ? "" : T.offline;
  net.className = navigator.onLine ? "net on" : "net off";
}

document.getElementById("sync").addEventListener("click", sync);
window.addEventListener("online", () => { showNetwork(); sync(); });
window.addEventListener("offline", showNetwork);
showNetwork();
render();
if ("serviceWorker" in navigator) navigator.serviceWorker.register(SETUP.service_worker);
