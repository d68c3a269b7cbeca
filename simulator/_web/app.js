"use strict";
// The simulator's chat page: pick who you are, then talk to a bot as a Telegram client would.

const $ = (id) => document.getElementById(id);
const view = { state: null, bot: null, user: null, chat: null, seq: 0, poll: 0, history: null };

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json();
  if (!body.ok) throw new Error(body.description || response.statusText);
  return body.result;
}

function postJson(action, payload) {
  return api(chatPath() + "/" + action, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user_id: view.user, ...payload }),
  });
}

function chatPath() {
  return `/sim/bots/${view.bot}/chats/${view.chat}`;
}

function toast(text, alert) {
  const box = $("toast");
  box.textContent = text;
  box.className = alert ? "alert" : "";
  box.hidden = !text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, alert ? 6000 : 2500);
}

async function act(promise) {
  try { return await promise; } catch (error) { toast(error.message, true); return null; }
}

function option(value, label) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = label;
  return element;
}

function userLabel(user) {
  return [user.first_name, user.last_name].filter(Boolean).join(" ") + (user.label ? ` — ${user.label}` : "");
}

// ---- who and where -------------------------------------------------------------------------

async function loadState() {
  view.state = await api("/sim/state");
  const params = new URLSearchParams(location.hash.slice(1));
  const bots = view.state.bots;
  $("bot").replaceChildren(...bots.map((b) => option(b.id, "@" + b.username)));
  $("bot").hidden = bots.length < 2;
  $("no-bot").hidden = bots.length > 0;
  if (!bots.length) setTimeout(() => loadState().catch(() => {}), 2000);
  view.bot = Number(params.get("bot")) || (bots[0] && bots[0].id) || null;
  if (view.bot) $("bot").value = view.bot;
  const users = view.state.users;
  $("user").replaceChildren(option("", "Who are you?"), ...users.map((u) => option(u.id, userLabel(u))));
  $("people").replaceChildren(...users.map((u) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.user = u.id;
    button.textContent = [u.first_name, u.last_name].filter(Boolean).join(" ");
    const small = document.createElement("small");
    small.textContent = [u.label, u.language_code, u.phone_number].filter(Boolean).join(" · ");
    button.append(small);
    button.addEventListener("click", () => chooseUser(u.id));
    return button;
  }));
  const user = Number(params.get("user"));
  if (user && users.some((u) => u.id === user)) chooseUser(user, Number(params.get("chat")) || user);
  else showPicker();
}

function showPicker() {
  view.user = null;
  view.poll += 1;
  $("user").value = "";
  $("picker").hidden = false;
  for (const id of ["messages", "bottom", "chat", "menu"]) $(id).hidden = true;
}

function chooseUser(userId, chatId) {
  view.user = userId;
  $("user").value = userId;
  const groups = view.state.groups.filter((g) => g.member_ids.includes(userId));
  $("chat").replaceChildren(option(userId, "Private chat"), ...groups.map((g) => option(g.id, g.title)));
  $("chat").hidden = groups.length === 0;
  view.chat = groups.some((g) => g.id === chatId) ? chatId : userId;
  $("chat").value = view.chat;
  openChat();
}

async function openChat() {
  $("picker").hidden = true;
  $("messages").hidden = false;
  $("bottom").hidden = false;
  if (!view.bot) { toast("No bot has connected yet", true); return; }
  location.hash = `bot=${view.bot}&user=${view.user}&chat=${view.chat}`;
  const token = ++view.poll;
  const history = await act(api(chatPath() + "/history"));
  if (!history || token !== view.poll) return;
  view.history = history;
  view.seq = history.last_seq;
  $("messages").replaceChildren();
  history.messages.forEach(upsert);
  renderKeyboard(history.reply_keyboard);
  renderCommands(history.commands);
  scrollDown();
  pollEvents(token);
}

async function pollEvents(token) {
  while (token === view.poll) {
    try {
      const result = await api(`${chatPath()}/events?after=${view.seq}&timeout=25`);
      if (token !== view.poll) return;
      result.events.forEach(apply);
      view.seq = Math.max(view.seq, result.last_seq);
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function apply(event) {
  if (event.type === "message" || event.type === "edit") {
    if (event.message) upsert(event.message);
    if (event.type === "message") scrollDown();
  } else if (event.type === "delete") {
    const element = document.querySelector(`.msg[data-id="${event.message_id}"]`);
    if (element) element.remove();
  } else if (event.type === "keyboard") {
    renderKeyboard(event.reply_keyboard);
  } else if (event.type === "callback_answer") {
    if (event.text) toast(event.text, event.show_alert);
  } else if (event.type === "chat_action") {
    $("typing").hidden = false;
    clearTimeout(apply.typing);
    apply.typing = setTimeout(() => { $("typing").hidden = true; }, 3000);
  }
}

function scrollDown() {
  const box = $("messages");
  box.scrollTop = box.scrollHeight;
}

// ---- rendering -----------------------------------------------------------------------------

const TAGS = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
  blockquote: "blockquote", expandable_blockquote: "blockquote", spoiler: "span", text_link: "a" };

function formatted(text, entities) {
  // Entity offsets are UTF-16 units, which is what JavaScript string indexes are.
  const fragment = document.createDocumentFragment();
  const cuts = new Set([0, text.length]);
  for (const e of entities || []) { cuts.add(e.offset); cuts.add(e.offset + e.length); }
  const points = [...cuts].filter((p) => p <= text.length).sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i += 1) {
    let node = document.createTextNode(text.slice(points[i], points[i + 1]));
    for (const e of entities || []) {
      if (e.offset <= points[i] && points[i + 1] <= e.offset + e.length && TAGS[e.type]) {
        const wrapper = document.createElement(TAGS[e.type]);
        if (e.type === "spoiler") wrapper.className = "spoiler";
        if (e.type === "text_link") { wrapper.href = e.url; wrapper.target = "_blank"; wrapper.rel = "noopener"; }
        wrapper.append(node);
        node = wrapper;
      }
    }
    fragment.append(node);
  }
  return fragment;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function media(message) {
  if (message.photo) {
    const img = element("img", "photo");
    img.src = message.file_url;
    img.alt = "photo";
    const size = message.photo[message.photo.length - 1];
    img.width = size.width;
    img.height = size.height;
    img.style.height = "auto";
    return img;
  }
  if (message.document) {
    const link = element("a", "doc", `📄 ${message.document.file_name} (${Math.ceil(message.document.file_size / 1024)} KB)`);
    link.href = message.file_url;
    link.download = message.document.file_name;
    return link;
  }
  if (message.sticker) {
    const img = element("img", "sticker");
    img.src = message.file_url;
    img.alt = message.sticker.emoji || "sticker";
    return img;
  }
  if (message.voice) return element("span", "card", `🎤 Voice message, ${message.voice.duration} s`);
  if (message.contact) return element("span", "card", `📞 ${message.contact.first_name} ${message.contact.phone_number}`);
  if (message.location) return element("span", "card", `📍 ${message.location.latitude}, ${message.location.longitude}`);
  return null;
}

function inlineKeyboard(message) {
  const markup = message.reply_markup;
  if (!markup || !markup.inline_keyboard) return null;
  const box = element("div", "inline-kb");
  for (const row of markup.inline_keyboard) {
    const line = element("div", "kb-row");
    for (const button of row) {
      let control;
      if (button.url) {
        control = element("a", "", button.text);
        control.href = button.url;
        control.target = "_blank";
        control.rel = "noopener";
      } else {
        control = element("button", "", button.text);
        control.type = "button";
        control.dataset.callback = button.callback_data || "";
        control.addEventListener("click", () => act(postJson("press", {
          message_id: message.message_id, callback_data: button.callback_data,
        })));
      }
      line.append(control);
    }
    box.append(line);
  }
  return box;
}

function upsert(message) {
  const box = $("messages");
  const bubble = element("div", message.from_bot ? "msg bot" : "msg me");
  bubble.dataset.id = message.message_id;
  if (message.chat.type !== "private" && !message.from_bot) bubble.append(element("b", "", message.from.first_name + "\n"));
  if (message.reply_to_message) {
    const quoted = message.reply_to_message;
    bubble.append(element("div", "reply", (quoted.text || quoted.caption || "…").slice(0, 80)));
  }
  const attachment = media(message);
  if (attachment) bubble.append(attachment);
  if (message.text) bubble.append(formatted(message.text, message.entities));
  if (message.caption) bubble.append(formatted(message.caption, message.caption_entities));
  const keyboard = inlineKeyboard(message);
  if (keyboard) bubble.append(keyboard);
  const time = new Date(message.date * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  bubble.append(element("span", "meta", (message.edit_date ? "edited " : "") + time));
  const existing = box.querySelector(`.msg[data-id="${message.message_id}"]`);
  if (existing) { existing.replaceWith(bubble); return; }
  const later = [...box.children].find((child) => Number(child.dataset.id) > message.message_id);
  box.insertBefore(bubble, later || null);
  if (message.force_reply) $("text").focus();
}

function renderKeyboard(keyboard) {
  const box = $("keyboard");
  box.replaceChildren();
  $("text").placeholder = (keyboard && keyboard.input_field_placeholder) || "Message";
  if (!keyboard) return;
  for (const row of keyboard.keyboard) {
    const line = element("div", "kb-row");
    for (const button of row) {
      const control = element("button", "", button.text);
      control.type = "button";
      control.addEventListener("click", () => {
        if (button.request_contact) shareContact();
        else if (button.request_location) shareLocation();
        else act(postJson("text", { text: button.text }));
      });
      line.append(control);
    }
    box.append(line);
  }
}

function renderCommands(commands) {
  $("menu").hidden = !commands.length;
  $("commands").replaceChildren(...commands.map((c) => {
    const button = element("button", "", `/${c.command} — ${c.description}`);
    button.type = "button";
    button.addEventListener("click", () => { $("commands").hidden = true; act(postJson("text", { text: "/" + c.command })); });
    return button;
  }));
}

// ---- sending -------------------------------------------------------------------------------

function me() {
  return view.state.users.find((u) => u.id === view.user) || {};
}

async function shareContact() {
  const phone = me().phone_number || prompt("Your phone number", "+84");
  if (!phone) return;
  const sent = await act(postJson("contact", { phone_number: phone }));
  if (sent) me().phone_number = phone;
}

function shareLocation() {
  const answer = prompt("Latitude, longitude", "21.0285, 105.8542");
  if (!answer) return;
  const [latitude, longitude] = answer.split(",").map((part) => Number(part.trim()));
  act(postJson("location", { latitude, longitude }));
}

async function upload(kind, files) {
  if (!files.length) return;
  const form = new FormData();
  form.append("user_id", view.user);
  for (const file of files) form.append("file", file, file.name);
  toast(`Sending ${files.length} file(s)…`);
  await act(api(`${chatPath()}/${kind}`, { method: "POST", body: form }));
}

function wire() {
  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("text").value;
    if (!text.trim()) return;
    $("text").value = "";
    await act(postJson("text", { text }));
  });
  $("user").addEventListener("change", () => {
    const id = Number($("user").value);
    if (id) chooseUser(id); else showPicker();
  });
  $("bot").addEventListener("change", () => { view.bot = Number($("bot").value); if (view.user) openChat(); });
  $("chat").addEventListener("change", () => { view.chat = Number($("chat").value); openChat(); });
  $("menu").addEventListener("click", () => { $("commands").hidden = !$("commands").hidden; });
  $("attach").addEventListener("click", () => { $("attach-menu").hidden = !$("attach-menu").hidden; });
  $("pick-photo").addEventListener("click", () => $("photo-input").click());
  $("pick-file").addEventListener("click", () => $("file-input").click());
  $("photo-input").addEventListener("change", async () => {
    const files = [...$("photo-input").files];
    $("photo-input").value = "";
    $("attach-menu").hidden = true;
    await upload($("as-file").checked ? "documents" : "photos", files);
  });
  $("file-input").addEventListener("change", async () => {
    const files = [...$("file-input").files];
    $("file-input").value = "";
    $("attach-menu").hidden = true;
    await upload("documents", files);
  });
  $("share-contact").addEventListener("click", () => { $("attach-menu").hidden = true; shareContact(); });
  $("share-location").addEventListener("click", () => { $("attach-menu").hidden = true; shareLocation(); });
  $("send-sticker").addEventListener("click", () => { $("attach-menu").hidden = true; act(postJson("sticker", {})); });
  $("send-voice").addEventListener("click", () => { $("attach-menu").hidden = true; act(postJson("voice", {})); });
  $("new-user").addEventListener("submit", async (event) => {
    event.preventDefault();
    const user = await act(api("/sim/users", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        first_name: $("new-name").value.trim(),
        phone_number: $("new-phone").value.trim() || null,
        language_code: $("new-lang").value,
      }),
    }));
    if (!user) return;
    $("new-user").reset();
    location.hash = `user=${user.id}`;
    await loadState();
  });
}

wire();
loadState().catch((error) => toast(error.message, true));
