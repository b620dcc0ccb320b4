// Ritme's local chat. Plain DOM, no build step, nothing loaded from elsewhere.
// Security: every text goes into the page through textContent; nothing is ever parsed as HTML here.
"use strict";

const RUN_STANDUP = "/ritme standup run";
const POST_DIGEST = "/ritme standup digest";
const STORAGE_KEY = "ritme.local";

const state = {
  locale: null, // the catalog locale the page speaks: the chosen member's, before that the browser's
  wantedLocale: null,
  locales: [],
  texts: {}, // key -> template of the current locale, from GET /api/ui
  bundles: new Map(), // locale -> texts, so switching between people does not ask again
  status: { key: null, text: "" },
  languagePicked: false,
  users: [],
  channels: [],
  me: null,
  conversation: null,
  messages: new Map(), // id -> view model, everything the current member may see
  nodes: new Map(), // id -> <li> of the current conversation
  rendered: new Map(), // id -> JSON last drawn; redrawing an unchanged form would wipe half-typed answers
  unread: new Set(),
  source: null,
  loading: false,
  pending: [],
  failedSend: null,
};

const byId = (id) => document.getElementById(id);

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

// crypto.randomUUID needs a secure context; a phone opening http://<laptop-ip>:port does not have one.
function newEventId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---- Words -------------------------------------------------------------------------------------
// Every word the page shows of its own comes from Ritme's message catalog; none is written in this file.

function t(key, params = {}) {
  const template = Object.prototype.hasOwnProperty.call(state.texts, key) ? state.texts[key] : key;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

function languageName(locale) {
  const key = `language.${locale}`;
  return Object.prototype.hasOwnProperty.call(state.texts, key) ? state.texts[key] : locale;
}

async function loadTexts(locale) {
  // Without a locale Ritme answers in the language the browser asks for (its Accept-Language).
  const path = locale ? `/api/ui?locale=${encodeURIComponent(locale)}` : "/api/ui";
  const bundle = await api("GET", path);
  state.bundles.set(bundle.locale, bundle.texts);
  state.locales = bundle.locales;
  return bundle;
}

function useTexts(locale, texts) {
  const changed = state.locale !== locale;
  state.locale = locale;
  state.wantedLocale = locale;
  state.texts = texts;
  applyTexts();
  return changed;
}

// The page follows the chosen member's language; the words are fetched once per language.
async function followLocale(locale) {
  state.wantedLocale = locale;
  let texts = state.bundles.get(locale);
  if (!texts) {
    try {
      texts = (await loadTexts(locale)).texts;
    } catch (error) {
      showStatus(error.message);
      return;
    }
    if (state.wantedLocale !== locale) return; // someone else was picked meanwhile
  }
  // Redrawing messages wipes half-typed answers, so it happens only when the language really changes.
  if (useTexts(locale, texts)) renderMessages();
}

function applyTexts() {
  document.documentElement.lang = state.locale;
  document.title = t("ui.page.title");
  for (const node of document.querySelectorAll("[data-ui]")) node.textContent = t(node.dataset.ui);
  for (const node of document.querySelectorAll("[data-ui-placeholder]")) {
    node.placeholder = t(node.dataset.uiPlaceholder);
  }
  for (const node of document.querySelectorAll("[data-ui-aria-label]")) {
    node.setAttribute("aria-label", t(node.dataset.uiAriaLabel));
  }
  renderLanguages();
  if (state.status.key) showStatusKey(state.status.key);
  renderMembers();
  renderConversations();
}

// A new person speaks the page's language unless whoever adds them picks another.
function renderLanguages() {
  const select = byId("add-person-form").elements.locale;
  const chosen = state.languagePicked && state.locales.includes(select.value) ? select.value : state.locale;
  select.replaceChildren(...state.locales.map((locale) => element("option", { value: locale }, languageName(locale))));
  select.value = chosen;
}

// ---- Talking to Ritme --------------------------------------------------------------------------

async function api(method, path, body) {
  const init = { method, headers: {} };
  // Errors come back in the page's language (Ritme uses the member's own when the request names one).
  if (state.locale) init.headers["Accept-Language"] = state.locale;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new Error(t("ui.error.unreachable"));
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) throw new Error((data && data.error) || t("ui.error.status", { status: response.status }));
  return data;
}

function showStatus(text) {
  state.status = { key: null, text: text || "" };
  byId("status").textContent = state.status.text;
}

// A status told by key is told again in the new language when the page switches.
function showStatusKey(key) {
  state.status = { key, text: t(key) };
  byId("status").textContent = state.status.text;
}

function remember() {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ me: state.me, conversation: state.conversation }));
  } catch {
    // Private browsing may refuse storage; the chat works without it.
  }
}

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}") || {};
  } catch {
    return {};
  }
}

// ---- Directory ---------------------------------------------------------------------------------

function localTime(zone) {
  try {
    return new Intl.DateTimeFormat(state.locale || [], { hour: "2-digit", minute: "2-digit", timeZone: zone }).format(new Date());
  } catch {
    return "";
  }
}

async function loadDirectory() {
  const directory = await api("GET", "/api/directory");
  state.users = directory.users;
  state.channels = directory.channels;
  renderMembers();
  renderConversations();
}

function currentUser() {
  return state.users.find((user) => user.user_id === state.me) || null;
}

function renderMembers() {
  const list = byId("members");
  list.replaceChildren();
  for (const user of state.users) {
    const button = element("button", {
      type: "button",
      "data-testid": `member-${user.user_id}`,
      "aria-pressed": user.user_id === state.me ? "true" : "false",
      title: `${user.timezone}, ${languageName(user.locale)}`,
    });
    button.append(
      element("span", { class: "member-name" }, user.display_name),
      element("span", { class: "member-zone", "data-testid": "member-zone" }, `${localTime(user.timezone)} ${user.timezone}`),
    );
    button.addEventListener("click", () => {
      selectUser(user.user_id);
      closeSidebar();
    });
    const item = element("li");
    item.append(button);
    list.append(item);
  }
}

function dmConversation() {
  return `dm:${state.me}`;
}

// A group conversation ("group:<id>:<id>…", a coffee pair) is named by its members, as a group DM is.
function groupMembers(conversation) {
  return conversation && conversation.startsWith("group:") ? conversation.slice(6).split(":") : [];
}

function conversationTitle(conversation) {
  if (conversation && conversation.startsWith("channel:")) {
    const channel = state.channels.find((c) => `channel:${c.id}` === conversation);
    return `# ${channel ? channel.name : conversation.slice(8)}`;
  }
  const members = groupMembers(conversation);
  if (members.length) {
    return members
      .map((id) => {
        const user = state.users.find((u) => u.user_id === id);
        return user ? user.display_name : id;
      })
      .join(", ");
  }
  return t("ui.conversation.dm");
}

// The groups the current member is in, as far as their messages tell (Ritme opens a group by posting in it).
function groupConversations() {
  const groups = new Set();
  for (const view of state.messages.values()) {
    if (groupMembers(view.conversation).includes(state.me)) groups.add(view.conversation);
  }
  if (groupMembers(state.conversation).includes(state.me)) groups.add(state.conversation);
  return [...groups].sort();
}

function renderConversations() {
  const list = byId("conversations");
  list.replaceChildren();
  const entries = state.channels.map((channel) => ({
    id: `channel:${channel.id}`,
    testid: `conv-${channel.id}`,
    label: `# ${channel.name}`,
  }));
  if (state.me) entries.push({ id: dmConversation(), testid: "conv-dm", label: t("ui.conversation.dm") });
  for (const group of groupConversations()) {
    entries.push({ id: group, testid: `conv-${group.replace(/:/g, "-")}`, label: conversationTitle(group) });
  }
  for (const entry of entries) {
    const button = element(
      "button",
      {
        type: "button",
        "data-testid": entry.testid,
        "aria-current": entry.id === state.conversation ? "true" : "false",
        class: state.unread.has(entry.id) ? "unread" : null,
      },
      entry.label,
    );
    button.addEventListener("click", () => {
      selectConversation(entry.id);
      closeSidebar();
    });
    const item = element("li");
    item.append(button);
    list.append(item);
  }
  const isChannel = Boolean(state.conversation && state.conversation.startsWith("channel:"));
  byId("run-standup").hidden = !isChannel || !state.me;
  byId("post-digest").hidden = !isChannel || !state.me;
  byId("conversation-title").textContent = state.me ? conversationTitle(state.conversation) : "Ritme";
  const composer = byId("composer");
  composer.disabled = !state.me;
  composer.placeholder = state.me
    ? t("ui.composer.placeholder", { conversation: conversationTitle(state.conversation) })
    : t("ui.composer.nobody");
}

// ---- Choosing who and where --------------------------------------------------------------------

function selectUser(userId) {
  // A group's conversation is only its members'; someone else reading it switches to their own DMs.
  const wasDm = Boolean(
    state.conversation &&
      (state.conversation.startsWith("dm:") ||
        (state.conversation.startsWith("group:") && !groupMembers(state.conversation).includes(userId))),
  );
  state.me = userId;
  state.messages = new Map();
  state.unread.clear();
  // Someone reading their DMs who switches person reads the other person's DMs; a channel stays put.
  if (wasDm || !state.channels.length) state.conversation = dmConversation();
  else if (!state.conversation) state.conversation = `channel:${state.channels[0].id}`;
  remember();
  const me = currentUser();
  if (me) followLocale(me.locale);
  renderMembers();
  renderConversations();
  renderMessages();
  subscribe();
}

function selectConversation(conversation) {
  state.conversation = conversation;
  state.unread.delete(conversation);
  remember();
  renderConversations();
  renderMessages();
  byId("composer").focus();
}

// ---- Live feed ---------------------------------------------------------------------------------

function subscribe() {
  if (state.source) state.source.close();
  const source = new EventSource(`/api/events?user=${encodeURIComponent(state.me)}`);
  state.source = source;
  showStatusKey("ui.status.connecting");
  source.addEventListener("open", () => {
    if (source !== state.source) return;
    // (Re)connected: fetch the history now; what streams in meanwhile is applied after it, in order.
    state.loading = true;
    state.pending = [];
    showStatus("");
    loadHistory(source);
  });
  source.addEventListener("message", (event) => {
    if (source !== state.source) return;
    const view = JSON.parse(event.data);
    if (state.loading) state.pending.push(view);
    else receive(view);
  });
  source.addEventListener("error", () => {
    if (source !== state.source) return;
    showStatusKey(source.readyState === EventSource.CLOSED ? "ui.status.lost" : "ui.status.reconnecting");
  });
}

async function loadHistory(source) {
  try {
    const history = await api("GET", `/api/history?user=${encodeURIComponent(state.me)}`);
    if (source !== state.source) return;
    state.messages = new Map(history.messages.map((view) => [view.id, view]));
    for (const view of state.pending) state.messages.set(view.id, view);
    state.pending = [];
    state.loading = false;
    renderConversations(); // the member's groups are known from their messages
    renderMessages();
  } catch (error) {
    if (source === state.source) showStatus(error.message);
  }
}

function receive(view) {
  const isNew = !state.messages.has(view.id);
  state.messages.set(view.id, view);
  if (view.conversation === state.conversation) {
    upsertMessage(view, true);
  } else if (isNew) {
    state.unread.add(view.conversation);
    renderConversations();
  }
}

// ---- Messages ----------------------------------------------------------------------------------

function renderMessages() {
  const list = byId("messages");
  list.replaceChildren();
  state.nodes.clear();
  state.rendered.clear();
  const views = [...state.messages.values()]
    .filter((view) => view.conversation === state.conversation)
    .sort((a, b) => a.id - b.id);
  if (!views.length) {
    list.append(
      element("li", { class: "empty", "data-testid": "empty" }, state.me ? t("ui.empty") : ""),
    );
  }
  for (const view of views) upsertMessage(view, false);
  list.scrollTop = list.scrollHeight;
}

function upsertMessage(view, live) {
  const json = JSON.stringify(view);
  if (state.rendered.get(view.id) === json) return;
  const list = byId("messages");
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const node = renderMessage(view);
  const existing = state.nodes.get(view.id);
  if (existing) {
    // Keep the replies already shown under a message that is being replaced.
    const thread = existing.querySelector(":scope > .thread");
    if (thread) node.append(thread);
    existing.replaceWith(node);
  } else {
    const empty = list.querySelector(".empty");
    if (empty) empty.remove();
    const parent = view.thread_of !== null ? state.nodes.get(view.thread_of) : null;
    if (parent) threadOf(parent).append(node);
    else list.append(node);
  }
  state.nodes.set(view.id, node);
  state.rendered.set(view.id, json);
  const me = currentUser();
  const mine = me && !view.from_bot && view.author === me.display_name;
  if (live && (nearBottom || mine)) list.scrollTop = list.scrollHeight;
}

function threadOf(parent) {
  let thread = parent.querySelector(":scope > .thread");
  if (!thread) {
    thread = element("ol", { class: "thread", "data-testid": "thread" });
    parent.append(thread);
  }
  return thread;
}

function renderMessage(view) {
  const classes = ["message"];
  if (view.only_for) classes.push("only-you");
  // The server says who wrote it; a member who happens to be called "Ritme" is still a member.
  if (view.from_bot) classes.push("from-bot");
  const item = element("li", {
    class: classes.join(" "),
    "data-testid": "message",
    "data-message-id": view.id,
    "data-key": view.key || null,
  });

  const meta = element("div", { class: "message-meta" });
  meta.append(element("span", { class: "message-author", "data-testid": "message-author" }, view.author));
  if (view.only_for) {
    meta.append(element("span", { class: "only-you-note", "data-testid": "only-you" }, t("ui.only_you")));
  }
  item.append(meta);

  const body = element("div", { class: "message-body", "data-testid": "message-body" });
  for (const line of view.lines) {
    const row = element("div", { class: "message-line", "data-testid": "message-line" });
    for (const span of line) row.append(element(span.bold ? "strong" : "span", {}, span.text));
    body.append(row);
  }
  item.append(body);

  if (view.buttons.length) {
    const buttons = element("div", { class: "message-buttons" });
    for (const spec of view.buttons) buttons.append(renderButton(spec));
    item.append(buttons);
  }
  if (view.form) item.append(renderForm(view.form));
  return item;
}

function renderButton(spec) {
  const button = element(
    "button",
    { type: "button", "data-testid": "message-button", "data-action": spec.action, "data-value": spec.value },
    spec.label,
  );
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await api("POST", "/api/button", {
        user: state.me,
        action: spec.action,
        value: spec.value,
        event_id: newEventId(),
      });
      showStatus("");
    } catch (error) {
      showStatus(error.message);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function renderForm(form) {
  const node = element("form", { class: "message-form", "data-testid": "answer-form", "data-delivery-id": form.delivery_id });
  // One reader per field, in field order: the answers go back in that order, "" for a question left open.
  const readers = form.fields.map((field, index) =>
    field.choices && field.choices.length ? renderChoiceField(node, field, index) : renderTextField(node, field, index),
  );
  const actions = element("div", { class: "form-actions" });
  const submit = element("button", { type: "submit", "data-testid": "answer-submit" }, form.submit_label);
  const status = element("span", { class: "form-status", "data-testid": "answer-status", role: "status" });
  actions.append(submit, status);
  node.append(actions);

  node.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      node.requestSubmit();
    }
  });
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.textContent = t("ui.form.sending");
    try {
      await api("POST", "/api/answer", {
        user: state.me,
        delivery_id: form.delivery_id,
        values: readers.map((read) => read()),
        event_id: newEventId(),
      });
      status.textContent = t("ui.form.sent");
    } catch (error) {
      status.textContent = error.message;
    } finally {
      submit.disabled = false;
    }
  });
  return node;
}

function renderTextField(form, field, index) {
  const label = element("label", {}, field.label);
  const input = field.multiline
    ? element("textarea", { name: `field-${index}`, rows: 3 })
    : element("input", { name: `field-${index}`, type: "text" });
  input.setAttribute("maxlength", "4000");
  input.setAttribute("data-testid", "answer-field");
  // The engine asks for an answer here; the browser then refuses to send the form without one.
  input.required = field.optional === false;
  input.value = field.value;
  label.append(input);
  form.append(label);
  return () => input.value;
}

// A question answered by picking one option (a point on a scale): a labelled group of radio buttons, so one tap
// or the arrow keys pick, and a screen reader names the question and each option.
function renderChoiceField(form, field, index) {
  const group = element("fieldset", { class: "answer-choices", "data-testid": "answer-choices" });
  group.append(element("legend", {}, field.label));
  const options = element("div", { class: "choice-options" });
  const radios = field.choices.map((choice) => {
    const option = element("label", { class: "choice", "data-testid": "answer-choice" });
    const radio = element("input", { type: "radio", name: `field-${index}`, value: choice.value });
    radio.required = field.optional === false;
    radio.checked = choice.value === field.value;
    option.append(radio, element("span", { class: "choice-label" }, choice.label));
    options.append(option);
    return radio;
  });
  group.append(options);
  form.append(group);
  return () => {
    const picked = radios.find((radio) => radio.checked);
    return picked ? picked.value : "";
  };
}

// ---- Typing ------------------------------------------------------------------------------------

async function sendCommand(text) {
  if (!state.me || !state.conversation) return false;
  const attempt = { user: state.me, conversation: state.conversation, text };
  const failed = state.failedSend;
  // Sending the same text again after a failure is a retry: the same event id lets Ritme recognise it.
  const isRetry =
    failed && failed.user === attempt.user && failed.conversation === attempt.conversation && failed.text === text;
  const eventId = isRetry ? failed.eventId : newEventId();
  try {
    await api("POST", "/api/command", { ...attempt, event_id: eventId });
    state.failedSend = null;
    showStatus("");
    return true;
  } catch (error) {
    state.failedSend = { ...attempt, eventId };
    showStatus(error.message);
    return false;
  }
}

function growComposer() {
  const composer = byId("composer");
  composer.style.height = "auto";
  composer.style.height = `${composer.scrollHeight + 2}px`;
}

function setUpComposer() {
  const composer = byId("composer");
  const form = byId("composer-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = composer.value;
    if (!text.trim()) return;
    if (await sendCommand(text)) {
      composer.value = "";
      growComposer();
    }
    composer.focus();
  });
  composer.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter makes a new line; never while an input method is composing a character.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  composer.addEventListener("input", growComposer);
  byId("run-standup").addEventListener("click", () => sendCommand(RUN_STANDUP));
  byId("post-digest").addEventListener("click", () => sendCommand(POST_DIGEST));
}

// ---- Adding a person ---------------------------------------------------------------------------

function setUpAddPerson() {
  const form = byId("add-person-form");
  const error = form.querySelector(".error");
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const datalist = byId("timezones");
  for (const zone of zones) datalist.append(element("option", { value: zone }));
  form.elements.timezone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  form.elements.locale.addEventListener("change", () => {
    state.languagePicked = true;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const created = await api("POST", "/api/users", {
        display_name: form.elements.display_name.value,
        timezone: form.elements.timezone.value,
        locale: form.elements.locale.value,
      });
      form.elements.display_name.value = "";
      state.languagePicked = false;
      byId("add-person").open = false;
      await loadDirectory();
      selectUser(created.user.user_id);
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    }
  });
}

// ---- Phone layout ------------------------------------------------------------------------------

function closeSidebar() {
  byId("app").classList.remove("sidebar-open");
  byId("menu").setAttribute("aria-expanded", "false");
}

function setUpMenu() {
  byId("menu").addEventListener("click", (event) => {
    event.stopPropagation();
    const open = byId("app").classList.toggle("sidebar-open");
    byId("menu").setAttribute("aria-expanded", open ? "true" : "false");
  });
  // On a phone the sidebar covers most of the chat; a tap on what is still visible closes it.
  document.querySelector(".chat").addEventListener("click", () => {
    if (byId("app").classList.contains("sidebar-open")) closeSidebar();
  });
}

// ---- Start -------------------------------------------------------------------------------------

async function start() {
  setUpComposer();
  setUpAddPerson();
  setUpMenu();
  try {
    const [bundle] = await Promise.all([loadTexts(null), loadDirectory()]);
    // Until someone is picked, the page speaks the browser's language.
    useTexts(bundle.locale, bundle.texts);
  } catch (error) {
    showStatus(error.message);
    return;
  }
  setInterval(renderMembers, 60_000);
  const saved = remembered();
  const me = state.users.find((user) => user.user_id === saved.me) || state.users[0];
  if (!me) {
    byId("add-person").open = true;
    renderMessages();
    return;
  }
  const conversationIds = [...state.channels.map((c) => `channel:${c.id}`), `dm:${me.user_id}`];
  state.conversation = conversationIds.includes(saved.conversation) ? saved.conversation : conversationIds[0];
  selectUser(me.user_id);
}

document.addEventListener("DOMContentLoaded", start);
