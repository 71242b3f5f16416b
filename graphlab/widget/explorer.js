// The browser half of graphlab's notebook explorer (an anywidget module).
//
// It draws what Python sent in `graph` (boxes, edges, the inspector's
// descriptions) and walks the passes by moving `position`, as the terminal
// explorer's stepper does: forward, one step per operation; backward, one step
// per node that receives a gradient. New rounding and exercise answers go back
// to Python, which solves and checks them; `answers` and `message` come back.

const SVG = "http://www.w3.org/2000/svg";
const PENDING = "·";
const STYLES = { bold: "gl-bold", "$text-success": "gl-value", "$text-error": "gl-grad", "$text-muted": "gl-muted",
                 "$accent": "gl-accent", "$text-warning": "gl-warning" };

function element(tag, attributes = {}, text = "") {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

// Which numbers may be shown: the stepper's progress, or in exercise mode what is given or answered right.
function revealer(graph, position, mode, answers) {
  const forwardStep = new Map(graph.forward.map((id, i) => [id, i]));
  const backwardStep = new Map(graph.backward.map((id, i) => [id, i]));
  const asked = new Set(graph.asked.map(([id, field]) => `${id}/${field}`));
  if (mode === "exercise") {
    const known = (id, field) => !asked.has(`${id}/${field}`) || Boolean(answers[`${id}/${field}`]?.right);
    // An edge's local derivative and product wait for the source's gradient: with one consumer it *is* the product.
    return { value: (id) => known(id, "value"), grad: (id) => known(id, "grad"),
             edge: (consumer, source) => known(consumer, "grad") && known(source, "grad"), asked };
  }
  const grad = (id) => backwardStep.has(id) && backwardStep.get(id) < position - graph.forward.length;
  return {
    value: (id) => !forwardStep.has(id) || forwardStep.get(id) < position,
    grad,
    edge: (consumer) => grad(consumer),
    asked,
  };
}

function stepText(graph, position) {
  const forward = graph.forward.length, total = forward + graph.backward.length;
  if (position === 0) return `ready · forward 0/${forward}`;
  if (position <= forward) return `forward ${position}/${forward}`;
  if (position < total) return `backward ${position - forward}/${graph.backward.length}`;
  return "done · both passes · " + Object.entries(graph.results).map(([k, v]) => `${k} = ${v}`).join("  ");
}

function current(graph, position) {
  if (position === 0) return null;
  const forward = graph.forward.length;
  return position <= forward ? graph.forward[position - 1] : graph.backward[position - forward - 1];
}

function drawGraph(svg, graph, reveal, state) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${graph.width} ${graph.height}`);
  svg.setAttribute("width", graph.width);
  svg.setAttribute("height", graph.height);
  const defs = element("svg:defs");
  const marker = element("svg:marker", { id: "gl-arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
                                         markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" });
  marker.append(element("svg:path", { d: "M 0 0 L 10 5 L 0 10 z", class: "gl-arrowhead" }));
  defs.append(marker);
  svg.append(defs);
  const [width, height] = graph.box;
  const here = current(graph, state.position);
  for (const edge of graph.edges) {
    const points = edge.points.map(([x, y]) => [x, y]);
    points[0][0] += width / 2;                       // leave the source's right side
    points[points.length - 1][0] -= width / 2;       // enter the consumer's left side
    points[points.length - 1][1] += (edge.index === 0 ? -1 : 1) * (height / 6);  // first input above, second below
    const busy = state.mode === "step" && (edge.dst === here || edge.src === here);
    svg.append(element("svg:polyline", { points: points.map((p) => p.join(",")).join(" "),
                                          class: "gl-edge" + (busy ? " gl-busy" : ""), "marker-end": "url(#gl-arrow)" }));
  }
  for (const node of graph.nodes) {
    const group = element("svg:g", { class: `gl-node gl-${node.kind}` + (node.id === state.selected ? " gl-selected" : "")
                                            + (state.mode === "step" && node.id === here ? " gl-current" : ""),
                                     "data-node": node.id, transform: `translate(${node.x},${node.y})` });
    group.append(element("svg:rect", { width, height, rx: 7 }));
    group.append(element("svg:text", { x: width / 2, y: 15, class: "gl-symbol" }, node.symbol));
    for (const [row, field, label] of [[32, "value", "v"], [46, "grad", "g"]]) {
      if (field === "grad" && node.grad === null) continue;
      const [text, style] = face(node, field, reveal, state);
      group.append(element("svg:text", { x: 8, y: row, class: "gl-label" }, label));
      group.append(element("svg:text", { x: width - 8, y: row, class: `gl-number gl-${style}`,
                                         "data-field": field }, text));
    }
    group.addEventListener("click", () => state.select(node.id));
    svg.append(group);
  }
}

// A box's number: shown, pending (·), asked (?), or the student's answer with ✓ or ✗.
function face(node, field, reveal, state) {
  const number = field === "value" ? node.value : node.grad;
  if (state.mode === "exercise") {
    const answer = state.answers[`${node.id}/${field}`];
    if (answer) return [answer.number + (answer.right ? "✓" : "✗"), answer.right ? "right" : "wrong"];
    if (reveal.asked.has(`${node.id}/${field}`)) return ["?", "pending"];
    return [number, field];
  }
  return reveal[field](node.id) ? [number, field] : [PENDING, "pending"];
}

function drawInspector(panel, graph, reveal, state) {
  panel.replaceChildren();
  const node = graph.nodes[state.selected];
  if (!node) return;
  for (const line of node.lines) {
    const row = element("div", { class: "gl-line" });
    for (const [text, style, number, width] of line) {
      let shown = text, classes = style.split(" ").map((s) => STYLES[s]).filter(Boolean);
      if (number) {
        const [field, source, target] = number;
        if (!text || !reveal[field](source, target)) [shown, classes] = [PENDING, ["gl-muted"]];
      }
      row.append(element("span", { class: classes.join(" ") }, shown.padStart(width)));
    }
    panel.append(row);
  }
  if (state.mode !== "exercise") return;
  for (const field of ["value", "grad"]) {
    if (!reveal.asked.has(`${node.id}/${field}`)) continue;
    const form = element("form", { class: "gl-answer" });
    const input = element("input", { name: field, placeholder: field === "value" ? "value" : "∂f/∂" + node.name,
                                      autocomplete: "off" });
    const given = state.answers[`${node.id}/${field}`];
    if (given) input.value = given.text;
    form.append(element("label", {}, field === "value" ? "value " : "gradient "), input,
                element("button", { type: "submit" }, "Check"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      state.send({ type: "answer", node: node.id, field, text: input.value });
    });
    panel.append(form);
  }
}

function toolbar(model, state) {
  const bar = element("div", { class: "gl-toolbar" });
  const buttons = {};
  for (const [name, label, title] of [["reset", "Reset", "reset (r)"], ["back", "◀ Back", "back (b)"],
                                      ["step", "Step ▶", "step (space)"], ["end", "End ▶▶", "to the end (e)"]]) {
    buttons[name] = element("button", { type: "button", title, "data-action": name }, label);
    buttons[name].addEventListener("click", () => state.act(name));
    bar.append(buttons[name]);
  }
  const exercise = element("button", { type: "button", "data-action": "exercise", title: "exercise mode (x)" });
  exercise.addEventListener("click", () => state.act("exercise"));
  bar.append(exercise);
  const decimals = element("select", { "data-setting": "decimals", title: "decimals" });
  decimals.append(element("option", { value: "" }, "exact"));
  for (const n of [0, 1, 2, 3, 4]) decimals.append(element("option", { value: String(n) }, `${n} decimals`));
  const convention = element("select", { "data-setting": "convention", title: "what is rounded" });
  const ties = element("select", { "data-setting": "ties", title: "ties" });
  for (const t of ["away", "even"]) ties.append(element("option", { value: t }, `ties ${t}`));
  for (const select of [decimals, convention, ties]) {
    select.addEventListener("change", () => state.send({
      type: "policy", decimals: decimals.value === "" ? null : Number(decimals.value),
      convention: convention.value, ties: ties.value }));
    bar.append(select);
  }
  return { bar, buttons, exercise, decimals, convention, ties };
}

function render({ model, el }) {
  const root = element("div", { class: "gl-explorer", tabindex: "0" });
  const heading = element("div", { class: "gl-heading" });
  const state = {
    position: model.get("position"), selected: model.get("selected"), mode: model.get("mode"),
    answers: model.get("answers"),
    select(id) { model.set("selected", id); model.save_changes(); },
    send(content) { model.send(content); },
    act(name) {
      const graph = model.get("graph"), total = graph.forward.length + graph.backward.length;
      let position = model.get("position");
      if (name === "exercise") {
        model.set("mode", model.get("mode") === "exercise" ? "step" : "exercise");
        model.save_changes();
        return;
      }
      if (model.get("mode") === "exercise") return;
      position = { step: Math.min(total, position + 1), back: Math.max(0, position - 1), end: total, reset: 0 }[name];
      model.set("position", position);
      const now = current(graph, position);
      if (now !== null) model.set("selected", now);
      model.save_changes();
    },
  };
  const controls = toolbar(model, state);
  const body = element("div", { class: "gl-body" });
  const canvas = element("div", { class: "gl-canvas" });
  const svg = element("svg:svg", { class: "gl-graph" });
  canvas.append(svg);
  const inspector = element("div", { class: "gl-inspector" });
  body.append(canvas, inspector);
  const status = element("div", { class: "gl-status" });
  const message = element("div", { class: "gl-message" });
  root.append(heading, controls.bar, body, status, message);
  el.append(root);

  function update() {
    const graph = model.get("graph");
    Object.assign(state, { position: model.get("position"), selected: model.get("selected"), mode: model.get("mode"),
                           answers: model.get("answers") });
    const reveal = revealer(graph, state.position, state.mode, state.answers);
    heading.textContent = [graph.title, graph.formula, graph.policy_text].filter(Boolean).join(" · ");
    controls.exercise.textContent = state.mode === "exercise" ? "Leave exercise" : "Exercise";
    for (const button of Object.values(controls.buttons)) button.disabled = state.mode === "exercise";
    controls.convention.replaceChildren(...graph.conventions.map((c) => element("option", { value: c }, c)));
    controls.decimals.value = graph.policy.decimals === null ? "" : String(graph.policy.decimals);
    controls.convention.value = graph.policy.convention;
    controls.ties.value = graph.policy.ties;
    for (const select of [controls.decimals, controls.convention, controls.ties]) {
      select.disabled = !graph.can_recompute;
      select.title = graph.can_recompute ? select.title : "built in Python: no formula to solve again";
    }
    controls.convention.disabled ||= graph.policy.decimals === null;
    controls.ties.disabled ||= graph.policy.decimals === null;
    drawGraph(svg, graph, reveal, state);
    drawInspector(inspector, graph, reveal, state);
    if (state.mode === "exercise") {
      const right = Object.values(state.answers).filter((a) => a.right).length;
      status.textContent = `exercise · score ${right}/${graph.asked.length} · select a node, type its value and gradient`;
    } else {
      status.textContent = stepText(graph, state.position);
    }
    message.textContent = model.get("message");
  }

  root.addEventListener("keydown", (event) => {
    const name = { " ": "step", n: "step", b: "back", e: "end", r: "reset", x: "exercise" }[event.key];
    if (!name || event.target.tagName === "INPUT" || event.target.tagName === "SELECT") return;
    event.preventDefault();
    state.act(name);
  });
  for (const name of ["graph", "position", "selected", "mode", "answers", "message"]) {
    model.on(`change:${name}`, update);
  }
  update();
  return () => el.replaceChildren();
}

export default { render };
