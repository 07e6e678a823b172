/*!
 * chengguo chat widget — one self-contained script, no build step.
 *
 *   <script src="https://host/widget.js" data-key="pk_..." data-lang="zh" async></script>
 *
 * Adds a launcher button and a chat panel inside a shadow root. Messages are POSTed and the
 * answer is read as Server-Sent Events from the fetch body (EventSource cannot POST). The API base
 * is the script's own URL without "/widget.js". Everything the server or the user sends is put in
 * the page with textContent / createElement only — never innerHTML — and links must be http(s).
 * Any element on the host page with a `data-chengguo-open` attribute opens the panel on click.
 */
(function () {
  "use strict";

  if (window.__chengguoWidgetLoaded) return;
  var script =
    document.currentScript ||
    document.querySelector('script[data-key][src*="widget.js"]');
  if (!script) return;
  window.__chengguoWidgetLoaded = true;

  var KEY = script.getAttribute("data-key") || "";
  var langAttr = (script.getAttribute("data-lang") || navigator.language || "zh").toLowerCase();
  var LANG = langAttr.indexOf("zh") === 0 ? "zh" : "en";
  var srcUrl = new URL(script.src, location.href);
  var API = srcUrl.origin + srcUrl.pathname.replace(/\/widget\.js$/, "");
  var STORE = "chengguo.thread." + KEY;

  var T = {
    zh: {
      title: "成果转化助手",
      subtitle: "合作伙伴 · 中试平台 · 条款清单 · 政策问答",
      open: "打开成果转化助手",
      close: "关闭对话窗口",
      reset: "开始新对话",
      input: "输入您的问题，Enter 发送，Shift+Enter 换行",
      placeholder: "例如：为 ACH-0001 寻找合作企业",
      send: "发送",
      welcome: "您好！我可以帮您为科技成果寻找合作伙伴、查询并预留中试平台档期、起草合规的收益分配条款清单，并解答成果转化政策问题。",
      suggestions: [
        "为 ACH-0001 寻找合作企业",
        "查询 12 月可用的中试平台",
        "科技成果转化法对发明人奖励有什么规定？"
      ],
      plan: "执行计划",
      approvalTitle: "需要您的确认",
      approve: "批准",
      reject: "拒绝",
      edit: "修改日期",
      apply: "按新日期提交",
      cancel: "取消",
      approved: "已批准",
      rejected: "已拒绝",
      edited: "已按新日期提交",
      sources: "来源",
      downloads: "下载文件",
      download: "下载",
      thinking: "正在处理…",
      you: "您",
      assistant: "助手",
      error: "出错了",
      colon: "：",
      rateLimited: "发送得有点频繁，请在 {s} 秒后再试。您的消息已放回输入框。",
      network: "无法连接到服务器，请检查网络后重试。",
      interrupted: "与服务器的连接中断，回答没有完成。已完成的步骤已保存，请稍后重试。",
      stalled: "服务器长时间没有响应，已停止等待。请稍后重试。",
      quote: "报价",
      dialog: "成果转化助手对话窗口",
      log: "对话记录"
    },
    en: {
      title: "Tech Transfer Assistant",
      subtitle: "Partners · Pilot facilities · Term sheets · Policy",
      open: "Open the tech transfer assistant",
      close: "Close the chat",
      reset: "Start a new conversation",
      input: "Type your question; Enter sends, Shift+Enter adds a line",
      placeholder: "e.g. Find industry partners for ACH-0001",
      send: "Send",
      welcome: "Hello! I can find partners for a research achievement, check and hold pilot-facility slots, draft a lawful profit-sharing term sheet, and answer policy questions with citations.",
      suggestions: [
        "Find industry partners for ACH-0001",
        "Which pilot facilities are free in December?",
        "What does the law say about inventor rewards?"
      ],
      plan: "Plan",
      approvalTitle: "Your approval is needed",
      approve: "Approve",
      reject: "Reject",
      edit: "Change dates",
      apply: "Submit new dates",
      cancel: "Cancel",
      approved: "Approved",
      rejected: "Rejected",
      edited: "Submitted with new dates",
      sources: "Sources",
      downloads: "Files",
      download: "Download",
      thinking: "Working…",
      you: "You",
      assistant: "Assistant",
      error: "Something went wrong",
      colon: ": ",
      rateLimited: "You're sending messages a little fast. Please try again in {s} s; your message is back in the box.",
      network: "Can't reach the server. Check your connection and try again.",
      interrupted: "The connection to the server was lost before the answer finished. Completed steps are saved; please try again.",
      stalled: "The server stopped responding, so the assistant stopped waiting. Please try again.",
      quote: "Quote",
      dialog: "Tech transfer assistant chat",
      log: "Conversation"
    }
  }[LANG];

  // ---------------------------------------------------------------------------------------------
  // DOM helpers: text only, never HTML.

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue;
        var v = attrs[k];
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? "" : String(v));
      }
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function svg(pathD, size) {
    var ns = "http://www.w3.org/2000/svg";
    var s = document.createElementNS(ns, "svg");
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("width", String(size || 20));
    s.setAttribute("height", String(size || 20));
    s.setAttribute("aria-hidden", "true");
    s.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", pathD);
    p.setAttribute("fill", "none");
    p.setAttribute("stroke", "currentColor");
    p.setAttribute("stroke-width", "2");
    p.setAttribute("stroke-linecap", "round");
    p.setAttribute("stroke-linejoin", "round");
    s.appendChild(p);
    return s;
  }

  var ICON_CHAT = "M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z";
  var ICON_CLOSE = "M6 6l12 12M18 6L6 18";
  var ICON_SEND = "M4 12l16-8-6 16-2-7-8-1z";
  var ICON_RESET = "M4 4v6h6M20 20v-6h-6M5.5 15a7 7 0 0 0 12.3 2.5M18.5 9A7 7 0 0 0 6.2 6.5";
  var ICON_FILE = "M14 3H6v18h12V7l-4-4zM14 3v4h4M12 11v6M9 14l3 3 3-3";

  function safeUrl(url) {
    // Only absolute http(s) URLs become links; javascript:, data:, relative and odd schemes stay text.
    if (typeof url !== "string") return null;
    var u = url.trim();
    if (!/^https?:\/\//i.test(u)) return null;
    try {
      var parsed = new URL(u);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(text, url) {
    var href = safeUrl(url);
    if (!href) return document.createTextNode(text);
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer nofollow", text: text });
  }

  // Inline markdown: **bold**, `code`, [text](http(s) url). Everything else is literal text.
  // A URL may hold balanced parentheses one level deep (wiki_(topic), law_(2015)#art45), as
  // CommonMark allows; the first unbalanced ")" ends it.
  function inline(text, parent) {
    var re = /(\*\*([^*]+)\*\*)|(`([^`]+)`)|(\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\))/g;
    var last = 0;
    var m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1]) parent.appendChild(el("strong", { text: m[2] }));
      else if (m[3]) parent.appendChild(el("code", { text: m[4] }));
      else if (m[5]) parent.appendChild(link(m[6], m[7]));
      last = re.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // Block markdown: paragraphs with line breaks, "- " / "* " / "• " / "1. " lists (nested by indentation;
  // an indented plain line continues the list item above it), "#" headings as bold lines.
  function renderMarkdown(src) {
    var root = el("div", { class: "md" });
    var lines = String(src || "").replace(/\r\n?/g, "\n").split("\n");
    var para = null;
    var stack = [];  // open lists, outermost first: {indent, list, li}
    lines.forEach(function (raw) {
      var line = raw.replace(/\s+$/, "");
      if (!line.trim()) { para = null; stack = []; return; }
      var indent = /^\s*/.exec(line)[0].replace(/\t/g, "    ").length;
      var bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
      var num = /^\s*(\d+)[.)]\s+(.*)$/.exec(line);
      var head = /^\s*#{1,6}\s+(.*)$/.exec(line);
      if (bullet || num) {
        para = null;
        var tag = bullet ? "ul" : "ol";
        while (stack.length && stack[stack.length - 1].indent > indent) stack.pop();
        var top = stack[stack.length - 1];
        if (top && top.indent < indent && top.li) {
          top = { indent: indent, list: el(tag), li: null };  // deeper: a sub-list of the item above
          stack[stack.length - 1].li.appendChild(top.list);
          stack.push(top);
        } else if (!top || top.list.tagName.toLowerCase() !== tag) {
          if (top) stack.pop();  // same depth, other kind of list: a sibling list
          var parent = stack.length ? stack[stack.length - 1].li : root;
          top = { indent: indent, list: el(tag), li: null };
          if (num && num[1] !== "1") top.list.setAttribute("start", num[1]);
          parent.appendChild(top.list);
          stack.push(top);
        }
        top.li = el("li");
        inline(bullet ? bullet[1] : num[2], top.li);
        top.list.appendChild(top.li);
        return;
      }
      if (stack.length && indent > 0) {  // continues the deepest open item indented less than this line
        while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
        var item = stack[stack.length - 1].li;
        if (item) {
          item.appendChild(el("br"));
          inline(line.trim(), item);
          return;
        }
      }
      stack = [];
      if (head) {
        para = null;
        var h = el("p", { class: "md-h" });
        var strong = el("strong");
        inline(head[1], strong);
        h.appendChild(strong);
        root.appendChild(h);
        return;
      }
      if (!para) {
        para = el("p");
        root.appendChild(para);
      } else {
        para.appendChild(el("br"));
      }
      inline(line, para);
    });
    return root;
  }

  function fmtValue(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "object") {
      try { return JSON.stringify(v); } catch (e) { return String(v); }
    }
    return String(v);
  }

  // ---------------------------------------------------------------------------------------------
  // Network: JSON calls and a POST whose body is an SSE stream.

  function ApiError(status, body, retryAfter) {
    var e = (body && body.error) || {};
    this.status = status;
    this.code = e.code || "http_" + status;
    this.message = (LANG === "zh" ? e.message_zh : e.message) || e.message || T.error;
    if (status === 429) {
      // Our own polite wording: the server's message already names the wait, so it is not repeated.
      this.notice = true;
      this.message = T.rateLimited.replace("{s}", String(retryAfter || e.retry_after || 60));
    }
  }

  // A failure with no HTTP answer: fetch() rejects with a browser-specific TypeError ("Failed to fetch",
  // "network error", "Load failed") that means nothing to a user and is never translated.
  function NetError(kind) {
    this.code = kind;
    this.message = T[kind] || T.network;
  }

  // Seconds without a byte (heartbeats included; the server pings every 15 s) before a run is given up.
  var STALL_MS = Math.max(1, parseFloat(script.getAttribute("data-stall-timeout") || "") || 60) * 1000;

  function headers(extra) {
    var h = { Authorization: "Bearer " + KEY };
    for (var k in extra || {}) h[k] = extra[k];
    return h;
  }

  function request(method, path, body, signal) {
    return fetch(API + path, {
      method: method,
      headers: headers(body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined,
      credentials: "omit",
      mode: "cors",
      signal: signal
    }).catch(function (err) {
      throw new NetError(signal && signal.aborted ? "stalled" : "network");
    }).then(function (res) {
      if (res.ok) return res;
      return res.json().catch(function () { return null; }).then(function (b) {
        throw new ApiError(res.status, b, res.headers.get("Retry-After"));
      });
    });
  }

  function parseBlock(block, onEvent) {
    var data = [];
    block.split(/\r\n|\r|\n/).forEach(function (line) {
      if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
      // "event:" duplicates the kind inside data; ":" lines are heartbeats.
    });
    if (!data.length) return;
    var msg;
    try { msg = JSON.parse(data.join("\n")); } catch (e) { return; }
    if (msg && typeof msg.event === "string") onEvent(msg.event, msg.data || {});
  }

  // POST and read the SSE answer. Resolves once the server has sent `done`; otherwise rejects with a
  // NetError: "network" (no answer at all), "interrupted" (the stream broke or ended early) or
  // "stalled" (nothing, not even a heartbeat, for STALL_MS) — so the panel never waits forever.
  function streamPost(path, body, onEvent) {
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = null;
    var got = false;
    var done = false;
    function arm() {
      if (!ctrl) return;
      clearTimeout(timer);
      timer = setTimeout(function () { ctrl.abort(); }, STALL_MS);
    }
    function seen(kind, data) {
      got = true;
      if (kind === "done") done = true;
      onEvent(kind, data);
    }
    arm();
    return request("POST", path, body, ctrl && ctrl.signal).then(function (res) {
      arm();
      if (!res.body || !res.body.getReader) {
        return res.text().then(function (text) {
          text.split(/\r\n\r\n|\n\n|\r\r/).forEach(function (b) { parseBlock(b, seen); });
        });
      }
      var reader = res.body.getReader();
      var decoder = new TextDecoder("utf-8");
      var buf = "";
      function pump() {
        return reader.read().then(function (r) {
          arm();
          if (r.done) {
            buf += decoder.decode();
            if (buf.trim()) parseBlock(buf, seen);
            return;
          }
          buf += decoder.decode(r.value, { stream: true });
          var m;
          while ((m = /\r\n\r\n|\n\n|\r\r/.exec(buf)) !== null) {
            var block = buf.slice(0, m.index);
            buf = buf.slice(m.index + m[0].length);
            parseBlock(block, seen);
          }
          return pump();
        });
      }
      return pump().catch(function () {
        throw new NetError(ctrl && ctrl.signal.aborted ? "stalled" : "interrupted");
      });
    }).then(function () {
      clearTimeout(timer);
      if (!done) throw new NetError("interrupted");  // the server went away between two events
    }, function (err) {
      clearTimeout(timer);
      if (err instanceof NetError && err.code === "network" && got) err = new NetError("interrupted");
      throw err;
    });
  }

  function loadThread() {
    try { return localStorage.getItem(STORE); } catch (e) { return null; }
  }
  function saveThread(id) {
    try {
      if (id) localStorage.setItem(STORE, id);
      else localStorage.removeItem(STORE);
    } catch (e) { /* storage blocked: the thread lives for this page only */ }
  }

  // ---------------------------------------------------------------------------------------------
  // Styles (inside the shadow root, so the portal's CSS cannot reach in and ours cannot leak out).

  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box}",
    ".root{--brand:#1f4fd1;--brand-2:#3b82f6;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;",
    "  font-family:-apple-system,BlinkMacSystemFont,'Segoe UI','PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Noto Sans SC',system-ui,sans-serif;",
    "  font-size:14px;line-height:1.6;color:var(--ink);position:fixed;right:20px;bottom:20px;z-index:2147483000}",
    ".launcher{width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;color:#fff;",
    "  background:linear-gradient(135deg,var(--brand),var(--brand-2));box-shadow:0 8px 24px rgba(31,79,209,.35);",
    "  display:flex;align-items:center;justify-content:center;transition:transform .15s ease}",
    ".launcher:hover{transform:translateY(-2px)}",
    ".launcher:focus-visible,button:focus-visible,textarea:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}",
    ".panel{position:absolute;right:0;bottom:72px;width:400px;height:min(640px,calc(100vh - 110px));background:#fff;",
    "  border-radius:16px;box-shadow:0 24px 64px rgba(15,23,42,.22),0 2px 8px rgba(15,23,42,.08);display:flex;flex-direction:column;overflow:hidden;border:1px solid var(--line)}",
    ".panel[hidden]{display:none}",
    ".head{background:linear-gradient(135deg,var(--brand),var(--brand-2));color:#fff;padding:14px 12px 14px 18px;display:flex;align-items:center;gap:8px}",
    ".head .t{flex:1;min-width:0}",
    ".head h2{margin:0;font-size:16px;font-weight:600;letter-spacing:.02em}",
    ".head p{margin:2px 0 0;font-size:12px;opacity:.85;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    ".icon-btn{background:rgba(255,255,255,.14);border:0;color:#fff;width:32px;height:32px;border-radius:8px;cursor:pointer;display:flex;align-items:center;justify-content:center}",
    ".icon-btn:hover{background:rgba(255,255,255,.26)}",
    ".log{flex:1;overflow-y:auto;padding:16px;background:var(--bg);display:flex;flex-direction:column;gap:12px}",
    ".msg{max-width:88%;padding:10px 14px;border-radius:14px;word-wrap:break-word;overflow-wrap:anywhere}",
    ".msg.user{align-self:flex-end;background:var(--brand);color:#fff;border-bottom-right-radius:4px;white-space:pre-wrap}",
    ".msg.bot{align-self:flex-start;background:#fff;border:1px solid var(--line);border-bottom-left-radius:4px}",
    ".msg.bot.welcome{color:#334155}",
    ".streaming{white-space:pre-wrap}",
    ".md p{margin:0 0 6px}.md p:last-child{margin-bottom:0}.md ul,.md ol{margin:4px 0 6px;padding-left:20px}.md li{margin:2px 0}",
    ".md code,.card code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;background:#eef2ff;color:#3730a3;padding:1px 5px;border-radius:4px}",
    ".md a,.cites a{color:var(--brand);text-decoration:underline}",
    ".chips{display:flex;flex-wrap:wrap;gap:8px}",
    ".chip{border:1px solid #c7d2fe;background:#fff;color:var(--brand);border-radius:999px;padding:6px 12px;font:inherit;font-size:13px;cursor:pointer}",
    ".chip:hover{background:#eef2ff}",
    ".card{align-self:stretch;background:#fff;border:1px solid var(--line);border-radius:12px;padding:10px 12px;font-size:13px}",
    ".card h3{margin:0 0 6px;font-size:13px;font-weight:600;color:#334155;display:flex;align-items:center;gap:6px}",
    ".steps{list-style:none;margin:0;padding:0}",
    ".steps li{display:flex;gap:8px;align-items:flex-start;padding:3px 0;color:#334155}",
    ".dot{flex:none;width:16px;height:16px;margin-top:3px;border-radius:50%;border:2px solid #cbd5e1}",
    ".st-started .dot{border-color:var(--brand-2);border-top-color:transparent;animation:spin .8s linear infinite}",
    ".st-done .dot{border-color:#16a34a;background:#16a34a;box-shadow:inset 0 0 0 3px #fff}",
    ".st-stopped .dot{border-color:#94a3b8;border-style:dashed}",
    ".st-rejected .dot,.st-skipped .dot{border-color:#94a3b8;border-style:dashed}.steps li.st-rejected,.steps li.st-skipped{color:#64748b}",
    ".st-error .dot{border-color:#dc2626;background:#dc2626;box-shadow:inset 0 0 0 3px #fff}",
    ".note{color:var(--muted);font-size:12px;margin:4px 0 0}",
    "@keyframes spin{to{transform:rotate(360deg)}}",
    ".approval{border-color:#fcd34d;background:#fffbeb}",
    ".approval h3{color:#92400e}",
    ".kv{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:6px 0;font-size:12.5px}",
    ".kv dt{color:var(--muted)}.kv dd{margin:0;overflow-wrap:anywhere}",
    ".actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}",
    ".btn{font:inherit;font-size:13px;border-radius:8px;padding:6px 14px;cursor:pointer;border:1px solid var(--line);background:#fff;color:var(--ink)}",
    ".btn.primary{background:var(--brand);border-color:var(--brand);color:#fff}",
    ".btn.danger{color:#b91c1c;border-color:#fecaca}",
    ".btn[disabled]{opacity:.55;cursor:default}",
    ".edit{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px;align-items:flex-end}",
    ".edit label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}",
    ".edit input{font:inherit;font-size:13px;padding:4px 6px;border:1px solid var(--line);border-radius:6px}",
    ".decided{margin-top:6px;font-weight:600;color:#334155}",
    ".cites{margin:8px 0 0;padding:8px 0 0;border-top:1px dashed var(--line);font-size:12px;color:#475569}",
    ".cites b{display:block;color:var(--muted);font-weight:600;margin-bottom:2px}",
    ".cites ol{margin:0;padding-left:18px}",
    ".cid{display:inline-block;max-width:100%;overflow-wrap:anywhere;margin-left:4px;color:var(--muted)}",
    ".md li>ul,.md li>ol{margin:2px 0}",
    ".notice{align-self:stretch;background:#fffbeb;border:1px solid #fde68a;color:#92400e;border-radius:10px;padding:8px 12px;font-size:13px}",
    ".files{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}",
    ".file{display:inline-flex;align-items:center;gap:6px;text-align:left;overflow-wrap:anywhere;font:inherit;font-size:12.5px;border:1px solid #c7d2fe;background:#eef2ff;color:var(--brand);border-radius:8px;padding:5px 10px;cursor:pointer}",
    ".err{align-self:stretch;background:#fef2f2;border:1px solid #fecaca;color:#991b1b;border-radius:10px;padding:8px 12px;font-size:13px}",
    ".typing{align-self:flex-start;color:var(--muted);font-size:12.5px;display:flex;align-items:center;gap:6px}",
    ".typing i{width:6px;height:6px;border-radius:50%;background:#94a3b8;animation:blink 1.2s infinite}",
    ".typing i:nth-child(2){animation-delay:.2s}.typing i:nth-child(3){animation-delay:.4s}",
    "@keyframes blink{0%,80%,100%{opacity:.25}40%{opacity:1}}",
    ".composer{display:flex;gap:8px;padding:10px 12px;border-top:1px solid var(--line);background:#fff;align-items:flex-end}",
    ".composer textarea{flex:1;resize:none;border:1px solid var(--line);border-radius:10px;padding:9px 12px;font:inherit;line-height:1.5;max-height:120px;min-height:40px;color:var(--ink);background:#fff}",
    ".composer textarea:focus{border-color:var(--brand-2)}",
    ".send{width:40px;height:40px;border-radius:10px;border:0;background:var(--brand);color:#fff;cursor:pointer;display:flex;align-items:center;justify-content:center;flex:none}",
    ".send[disabled]{background:#94a3b8;cursor:default}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    "@media (max-width:480px){.root{right:12px;bottom:12px}",
    "  .root.open .launcher{display:none}",
    "  .panel{position:fixed;inset:0;width:100vw;height:100vh;height:100dvh;border-radius:0;border:0;bottom:auto;right:auto}",
    "  .head p{white-space:normal}",
    "  .msg{max-width:92%}}",
    "@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}"
  ].join("\n");

  // ---------------------------------------------------------------------------------------------
  // UI

  var host = el("div", { id: "chengguo-widget", "data-chengguo": "widget" });
  var shadow = host.attachShadow({ mode: "open" });
  shadow.appendChild(el("style", { text: CSS }));

  var titleId = "cg-title";
  var launcher = el("button", {
    class: "launcher",
    type: "button",
    "aria-label": T.open,
    "aria-expanded": "false",
    "aria-controls": "cg-panel"
  }, [svg(ICON_CHAT, 26)]);
  function setLauncherIcon(path) {
    launcher.replaceChild(svg(path, path === ICON_CLOSE ? 22 : 26), launcher.firstChild);
  }

  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.log });
  var input = el("textarea", { rows: "1", "aria-label": T.input, placeholder: T.placeholder });
  var sendBtn = el("button", { class: "send", type: "button", "aria-label": T.send, title: T.send }, [svg(ICON_SEND, 18)]);
  var closeBtn = el("button", { class: "icon-btn close", type: "button", "aria-label": T.close, title: T.close }, [svg(ICON_CLOSE, 18)]);
  var resetBtn = el("button", { class: "icon-btn reset", type: "button", "aria-label": T.reset, title: T.reset }, [svg(ICON_RESET, 18)]);

  var panel = el("div", {
    class: "panel",
    id: "cg-panel",
    role: "dialog",
    "aria-modal": "false",
    "aria-labelledby": titleId,
    hidden: true,
    lang: LANG === "zh" ? "zh-CN" : "en"
  }, [
    el("div", { class: "head" }, [
      el("div", { class: "t" }, [el("h2", { id: titleId, text: T.title }), el("p", { text: T.subtitle })]),
      resetBtn,
      closeBtn
    ]),
    log,
    el("div", { class: "composer" }, [input, sendBtn])
  ]);

  var root = el("div", { class: "root" }, [panel, launcher]);
  shadow.appendChild(root);

  var threadId = loadThread();
  var chipsEl = null;
  var busy = false;
  var restored = false;
  var typing = null;

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function setBusy(b) {
    busy = b;
    sendBtn.disabled = b;
    log.setAttribute("aria-busy", b ? "true" : "false");
    if (b && !typing) {
      typing = el("div", { class: "typing", role: "status" }, [el("i"), el("i"), el("i"), el("span", { text: T.thinking })]);
      log.appendChild(typing);
    } else if (!b && typing) {
      typing.remove();
      typing = null;
    }
    scrollDown();
  }

  function keepTypingLast() {
    if (typing) log.appendChild(typing);
    scrollDown();
  }

  function addNode(node) {
    log.appendChild(node);
    keepTypingLast();
    return node;
  }

  function showError(err) {
    if (err && err.notice) {  // 429: a polite note, not an error
      addNode(el("div", { class: "notice", role: "status" }, [String(err.message)]));
      return;
    }
    var msg = err && err.message ? String(err.message) : T.network;
    addNode(el("div", { class: "err", role: "alert" }, [T.error + T.colon + msg]));
  }

  function welcome() {
    addNode(el("div", { class: "msg bot welcome" }, [T.welcome]));
    var chips = el("div", { class: "chips" });
    T.suggestions.forEach(function (s) {
      chips.appendChild(el("button", {
        class: "chip",
        type: "button",
        text: s,
        onclick: function () { if (!busy) send(s); }
      }));
    });
    chipsEl = addNode(chips);
  }

  function open() {
    panel.hidden = false;
    root.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", T.close);
    setLauncherIcon(ICON_CLOSE);
    if (!restored) {
      restored = true;
      restore();
    }
    setTimeout(function () { input.focus(); }, 0);
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", T.open);
    setLauncherIcon(ICON_CHAT);
    launcher.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
  closeBtn.addEventListener("click", close);
  resetBtn.addEventListener("click", function () {
    if (busy) return;
    threadId = null;
    saveThread(null);
    while (log.firstChild) log.removeChild(log.firstChild);
    welcome();
    input.focus();
  });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); close(); }
  });
  input.addEventListener("keydown", function (e) {
    // isComposing / 229: Enter that confirms a Chinese IME candidate must not send.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", function () {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 120) + "px";
  });
  sendBtn.addEventListener("click", submit);
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t && t.closest && t.closest("[data-chengguo-open]")) { e.preventDefault(); open(); }
  });

  function submit() {
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    input.style.height = "auto";
    send(text);
  }

  // -- one assistant turn -----------------------------------------------------------------------

  function Turn() {
    this.planCard = null;
    this.steps = {};
    this.stepList = null;
    this.noteEl = null;
    this.bubble = null;
    this.streamEl = null;
    this.streamText = "";
  }

  Turn.prototype.ensurePlan = function () {
    if (this.planCard) return;
    this.stepList = el("ol", { class: "steps", "aria-label": T.plan });
    this.noteEl = el("p", { class: "note", hidden: true });
    this.planCard = addNode(el("div", { class: "card plan" }, [el("h3", { text: T.plan }), this.stepList, this.noteEl]));
  };

  Turn.prototype.addStep = function (id, tool, summary, status) {
    this.ensurePlan();
    var row = this.steps[id];
    if (!row) {
      var label = el("span", { class: "s-text" });
      row = { li: el("li", { class: "st-pending", "data-step": id }, [el("span", { class: "dot" }), label]), label: label };
      this.steps[id] = row;
      this.stepList.appendChild(row.li);
    }
    if (summary) row.label.textContent = summary;
    else if (!row.label.textContent) row.label.textContent = tool || id;
    if (status) row.li.className = "st-" + status;
  };

  // The run broke off: steps still spinning will not finish, so stop their spinners.
  Turn.prototype.stop = function () {
    var steps = this.steps;
    Object.keys(steps).forEach(function (id) {
      if (steps[id].li.className === "st-started") steps[id].li.className = "st-stopped";
    });
  };

  Turn.prototype.onEvent = function (kind, data) {
    var self = this;
    if (kind === "plan") {
      (data.steps || []).forEach(function (s) { self.addStep(String(s.id), s.tool, s.summary, null); });
      if (data.note) {
        this.noteEl.textContent = String(data.note);
        this.noteEl.hidden = false;
      }
    } else if (kind === "step") {
      this.addStep(String(data.step_id), data.tool, data.summary, data.status);
    } else if (kind === "token") {
      if (!this.bubble) {
        this.streamEl = el("div", { class: "streaming" });
        this.bubble = addNode(el("div", { class: "msg bot" }, [this.streamEl]));
      }
      this.streamText += String(data.text || "");
      this.streamEl.textContent = this.streamText;
      keepTypingLast();
    } else if (kind === "message") {
      var content = messageNode(data);
      if (this.bubble) {
        while (this.bubble.firstChild) this.bubble.removeChild(this.bubble.firstChild);
        while (content.firstChild) this.bubble.appendChild(content.firstChild);
      } else {
        this.bubble = addNode(content);
      }
      keepTypingLast();
    } else if (kind === "approval") {
      addNode(approvalCard(data));
    } else if (kind === "error") {
      showError({ message: String(data.message || "") });
    }
  };

  function messageNode(data) {
    var bubble = el("div", { class: "msg bot" }, [renderMarkdown(data.text || "")]);
    var cites = data.citations || [];
    if (cites.length) {
      var ol = el("ol");
      cites.forEach(function (c) {
        var label = [c.title || c.id, c.ref].filter(Boolean).join(" · ");
        var li = el("li");
        li.appendChild(link(label, c.url));
        // the id in one piece: "(ORG-" / "0071)" across two lines reads as two ids
        if (c.title && c.id) li.appendChild(el("span", { class: "cid", text: "(" + c.id + ")" }));
        ol.appendChild(li);
      });
      bubble.appendChild(el("div", { class: "cites" }, [el("b", { text: T.sources }), ol]));
    }
    var files = filesNode(data.artifacts);
    if (files) bubble.appendChild(files);
    return bubble;
  }

  function filesNode(artifacts) {
    var arts = (artifacts || []).filter(function (a) { return a && a.url; });
    if (!arts.length) return null;
    var files = el("div", { class: "files", role: "group", "aria-label": T.downloads });
    arts.forEach(function (a) {
      var name = String(a.name || a.kind || "file");
      files.appendChild(el("button", {
        class: "file",
        type: "button",
        "aria-label": T.download + " " + name,
        onclick: function () { download(String(a.url), name); }
      }, [svg(ICON_FILE, 16), name]));
    });
    return files;
  }

  var LABELS = {
    facility_id: ["设施编号", "Facility"], name: ["名称", "Name"], start: ["开始日期", "Start"],
    end: ["结束日期", "End"], days: ["天数", "Days"], daily_rate_cny: ["日费率（元）", "Daily rate (CNY)"],
    total_cny: ["合计（元）", "Total (CNY)"], holder: ["预订方", "Holder"], holder_id: ["预订方编号", "Holder id"], reference: ["预订编号", "Reference"],
    achievement_id: ["成果编号", "Achievement"], organisation_id: ["机构编号", "Organisation"]
  };

  function kvList(obj) {
    var dl = el("dl", { class: "kv" });
    Object.keys(obj || {}).forEach(function (k) {
      var label = Object.prototype.hasOwnProperty.call(LABELS, k) ? LABELS[k][LANG === "zh" ? 0 : 1] : k;
      var v = obj[k];
      dl.appendChild(el("dt", { text: label }));
      dl.appendChild(el("dd", { text: typeof v === "number" ? v.toLocaleString(LANG === "zh" ? "zh-CN" : "en") : fmtValue(v) }));
    });
    return dl;
  }

  function approvalCard(data) {
    var args = data.args || {};
    var card = el("div", { class: "card approval", role: "group", "aria-label": T.approvalTitle });
    card.appendChild(el("h3", { text: T.approvalTitle }));
    var summary = el("div", { class: "md" });
    inline(String(data.summary || data.action || ""), summary);
    card.appendChild(summary);
    // Who the hold is for, as the knowledge base names the organisation.
    if (data.holder) card.appendChild(kvList({ holder: String(data.holder) }));
    card.appendChild(kvList(args));
    if (data.quote && typeof data.quote === "object") {
      card.appendChild(el("div", { class: "note", text: T.quote }));
      card.appendChild(kvList(data.quote));
    }
    var dateKeys = Object.keys(args).filter(function (k) {
      return typeof args[k] === "string" && /^\d{4}-\d{2}-\d{2}$/.test(args[k]);
    });
    var actions = el("div", { class: "actions" });
    var buttons = [];
    function decide(action, newArgs, label) {
      buttons.forEach(function (b) { b.disabled = true; });
      if (editForm) editForm.remove();
      // The focused button is now disabled, which would drop a keyboard user's focus to <body>.
      input.focus();
      var decided = card.appendChild(el("div", { class: "decided", role: "status", text: label }));
      var body = { action: action };
      if (newArgs) body.args = newArgs;
      runStream("/v1/threads/" + encodeURIComponent(threadId) + "/approval", body, function (err) {
        // Not delivered (or not answered): the decision is open again, so don't claim it was made.
        if (err instanceof ApiError || (err instanceof NetError && err.code === "network")) {
          decided.remove();
          buttons.forEach(function (b) { b.disabled = false; });
          approve.focus();
        }
      });
    }
    var approve = el("button", { class: "btn primary approve", type: "button", text: T.approve,
      onclick: function () { decide("approve", null, T.approved); } });
    var reject = el("button", { class: "btn danger reject", type: "button", text: T.reject,
      onclick: function () { decide("reject", null, T.rejected); } });
    buttons.push(approve, reject);
    actions.appendChild(approve);
    actions.appendChild(reject);
    var editForm = null;
    if (dateKeys.length) {
      var editBtn = el("button", { class: "btn edit-dates", type: "button", text: T.edit, "aria-expanded": "false",
        onclick: function () {
          if (editForm) { editForm.remove(); editForm = null; editBtn.setAttribute("aria-expanded", "false"); return; }
          editBtn.setAttribute("aria-expanded", "true");
          var inputs = {};
          editForm = el("form", { class: "edit" });
          dateKeys.forEach(function (k) {
            inputs[k] = el("input", { type: "date", value: args[k], required: true, name: k });
            var lbl = Object.prototype.hasOwnProperty.call(LABELS, k) ? LABELS[k][LANG === "zh" ? 0 : 1] : k;
            editForm.appendChild(el("label", {}, [lbl, inputs[k]]));
          });
          editForm.appendChild(el("button", { class: "btn primary", type: "submit", text: T.apply }));
          editForm.addEventListener("submit", function (e) {
            e.preventDefault();
            var next = {};
            Object.keys(args).forEach(function (k) { next[k] = args[k]; });
            dateKeys.forEach(function (k) { next[k] = inputs[k].value; });
            decide("edit", next, T.edited);
          });
          card.appendChild(editForm);
          inputs[dateKeys[0]].focus();
        } });
      buttons.push(editBtn);
      actions.appendChild(editBtn);
    }
    card.appendChild(actions);
    setTimeout(function () { if (!approve.disabled) approve.focus(); }, 0);
    return card;
  }

  function download(url, name) {
    request("GET", url.replace(/^\/+/, "/")).then(function (res) { return res.blob(); }).then(function (blob) {
      var href = URL.createObjectURL(blob);
      var a = el("a", { href: href, download: name, hidden: true });
      shadow.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(href); a.remove(); }, 10000);
    }).catch(showError);
  }

  function runStream(path, body, onFail) {
    var turn = new Turn();
    setBusy(true);
    return streamPost(path, body, function (kind, data) { turn.onEvent(kind, data); })
      .catch(function (err) {
        turn.stop();
        showError(err);
        if (onFail) onFail(err);
      })
      .then(function () { setBusy(false); });
  }

  function ensureThread() {
    if (threadId) return Promise.resolve(threadId);
    return request("POST", "/v1/threads").then(function (res) { return res.json(); }).then(function (t) {
      threadId = t.thread_id;
      saveThread(threadId);
      return threadId;
    });
  }

  function send(text) {
    if (chipsEl) { chipsEl.remove(); chipsEl = null; }
    var userMsg = addNode(el("div", { class: "msg user", "aria-label": T.you }, [text]));
    var turn = new Turn();
    var started = false;
    setBusy(true);
    function go(id) {
      return streamPost("/v1/threads/" + encodeURIComponent(id) + "/runs", { text: text },
        function (kind, data) { started = true; turn.onEvent(kind, data); });
    }
    function unsent(err) {
      // Refused before the agent saw it (rate limit, busy thread, server unreachable): give the
      // text back so the user can resend it without retyping.
      if (!started && (err instanceof ApiError || (err instanceof NetError && err.code === "network"))) {
        userMsg.remove();
        if (!input.value) input.value = text;
      }
      throw err;
    }
    ensureThread()
      .then(go)
      .catch(function (err) {
        if (err && err.status === 404) {  // the server no longer knows this thread: start over once
          threadId = null;
          saveThread(null);
          return ensureThread().then(go);
        }
        throw err;
      })
      .catch(function (err) { turn.stop(); return unsent(err); })
      .catch(showError)
      .then(function () { setBusy(false); });
  }

  function restore() {
    if (!threadId) { welcome(); return; }
    request("GET", "/v1/threads/" + encodeURIComponent(threadId))
      .then(function (res) { return res.json(); })
      .then(function (t) {
        if (!t.messages || !t.messages.length) welcome();
        // Term sheets come back as download buttons under the answer that names them (else the last one).
        var arts = (t.artifacts || []).slice();
        var lastBot = null;
        (t.messages || []).forEach(function (m) {
          var text = String(m.text || "");
          if (m.role === "user") { addNode(el("div", { class: "msg user" }, [text])); return; }
          var bubble = addNode(el("div", { class: "msg bot" }, [renderMarkdown(text)]));
          var mine = arts.filter(function (a) { return a && a.name && text.indexOf(String(a.name)) >= 0; });
          arts = arts.filter(function (a) { return mine.indexOf(a) < 0; });
          var files = filesNode(mine);
          if (files) bubble.appendChild(files);
          lastBot = bubble;
        });
        var rest = filesNode(arts);
        if (rest && lastBot) lastBot.appendChild(rest);
        if (t.pending_approval) addNode(approvalCard(t.pending_approval));
      })
      .catch(function (err) {
        if (err && (err.status === 404 || err.status === 401)) { threadId = null; saveThread(null); }
        welcome();
      });
  }

  function mount() { (document.body || document.documentElement).appendChild(host); }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
