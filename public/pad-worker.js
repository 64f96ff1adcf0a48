// The signature pad's ink, drawn off the page's main thread. The pad (src/advisor/signature_pad.rs)
// reads the pen on the main thread, keeps the points, transfers its canvas here and posts what to
// draw: the main thread then spends a pen sample on reading it, not on drawing and painting it.
// Points come as flat arrays of x, y (pad units, 0 to 10,000), t (ms) and pressure (0 to 255, 0 for
// none), four numbers a point. The ink: quadratic curves from midpoint to midpoint with the sample
// as control point, as wide as the pressure, or the speed, gives: a fast line is thin, as with ink.
const SCALE = 10000;
let c = null;
let size = { width: 1, height: 1 };
let pen = null;

const place = (p, i) => [(p[i] / SCALE) * size.width, (p[i + 1] / SCALE) * size.height];

/** The line's width in CSS pixels. */
function width(pressure, speed) {
  const thin = size.width * 0.0015;
  const thick = size.width * 0.006;
  return pressure > 0 ? thin + ((thick - thin) * pressure) / 255 : Math.max(thick / (1 + speed), thin);
}

/** A new stroke at the point: a dot, so that a tap shows. */
function start(p, i) {
  const at = place(p, i);
  pen = { last: at, mid: at, t: p[i + 2], speed: 0, width: width(p[i + 3], 0) };
  c.beginPath();
  c.arc(at[0], at[1], pen.width / 2, 0, 2 * Math.PI);
  c.fill();
}

/** Adds the piece to the point to the path; its width. */
function piece(p, i) {
  const at = place(p, i);
  const elapsed = Math.max(p[i + 2] - pen.t, 1);
  const distance = Math.hypot(at[0] - pen.last[0], at[1] - pen.last[1]);
  const speed = 0.7 * pen.speed + (0.3 * distance) / elapsed;
  const w = width(p[i + 3], speed);
  const mid = [(pen.last[0] + at[0]) / 2, (pen.last[1] + at[1]) / 2];
  c.quadraticCurveTo(pen.last[0], pen.last[1], mid[0], mid[1]);
  const drawn = (pen.width + w) / 2;
  pen = { last: at, mid, t: p[i + 2], speed, width: w };
  return drawn;
}

/** The points from index `from` as one path of their average width: one stroke a message. */
function pieces(p, from) {
  if (p.length <= from) return;
  c.beginPath();
  c.moveTo(pen.mid[0], pen.mid[1]);
  let widths = 0;
  for (let i = from; i < p.length; i += 4) widths += piece(p, i);
  c.lineWidth = widths / ((p.length - from) / 4);
  c.stroke();
}

/** The last half-piece, to the pen-up. */
function end() {
  if (!pen) return;
  c.beginPath();
  c.moveTo(pen.mid[0], pen.mid[1]);
  c.lineTo(pen.last[0], pen.last[1]);
  c.lineWidth = pen.width;
  c.stroke();
  pen = null;
}

function redraw(strokes) {
  c.clearRect(0, 0, size.width, size.height);
  for (const p of strokes) {
    if (p.length < 4) continue;
    start(p, 0);
    for (let i = 4; i < p.length; i += 4) pieces(p.subarray(i, i + 4), 0);
    end();
  }
}

self.onmessage = ({ data }) => {
  if (data.canvas) {
    c = data.canvas.getContext("2d");
    return;
  }
  if (!c) return;
  if (data.size) {
    const [w, h, ratio] = data.size;
    size = { width: w, height: h };
    c.canvas.width = Math.round(w * ratio);
    c.canvas.height = Math.round(h * ratio);
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    c.lineCap = "round";
    c.lineJoin = "round";
    c.strokeStyle = "#111827";
    c.fillStyle = "#111827";
  }
  if (data.strokes) redraw(data.strokes);
  if (data.down) start(data.down, 0);
  if (data.move && pen) pieces(data.move, 0);
  if (data.up) end();
};
