// Why a tool fails: its failed calls' texts (error, else response) grouped into reasons with
// counts and example traces ("payment method not found" 12/30, "seat unavailable" 9/30).
//
// Texts are normalized first (ids, numbers, quoted values, URLs become placeholders; HTTP-like
// status codes stay), then grouped by the Jaccard similarity of their word shingles (words and
// word pairs), most frequent text first, each joining the first reason it is close enough to.
// Shingles rather than sentence embeddings: error texts of one reason come from one template and
// differ by ids and values (which normalization removes), so lexical overlap is the signal; an
// encoder would cost ~10 ms a text inside the analyzer and puts "seat unavailable" next to "seat
// available". Deterministic, no model, linear in distinct texts × reasons.

export interface FailureReason {
  /** Normalized text standing for the reason (placeholders for ids and values). */
  reason: string;
  /** Failed calls with this reason. */
  count: number;
  /** count / all failed calls of the tool. */
  share: number;
  /** One original text. */
  example: string;
  /** A few traces where the tool failed this way. */
  traceIds: string[];
}

export interface FailedCall {
  text: string | null;
  traceId: string;
}

/** Texts at least this similar (Jaccard of shingles) share a reason. Default of clusterFailureReasons. */
export const REASON_SIMILARITY = 0.5;
const EXAMPLES = 3;
/** Distinct normalized texts compared; rarer ones go to "other". */
const MAX_DISTINCT = 2000;

/** The message of a JSON error body (`{"error": "..."}`, `{"message": ...}`), else the text itself. */
function messageOf(text: string): string {
  if (!/^\s*\{/.test(text)) return text;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const inner = v["error"] ?? v["message"] ?? v["detail"];
    if (typeof inner === "string") return inner;
    if (inner && typeof inner === "object" && typeof (inner as { message?: unknown }).message === "string") return (inner as { message: string }).message;
  } catch {
    // not JSON after all: keep the text
  }
  return text;
}

/** Lower-cases and replaces what varies between calls of one failure (ids, numbers, values). */
export function normalizeErrorText(text: string): string {
  return messageOf(text)
    .toLowerCase()
    .replace(/^\s*(error|exception|failed|fatal)\s*[:-]\s*/, "")
    .replace(/https?:\/\/\S+/g, "<url>")
    .replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, "<email>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "<id>")
    // A quoted single word is a value ('pm_8812'); a quoted phrase keeps its words.
    .replace(/(["'`])([^\s"'`]{1,80})\1/g, "<v>")
    .replace(/["'`]/g, "")
    // Status codes stay: "status 404" and "status 500" are different reasons.
    .replace(/\b(status|code|http|error)(\s*[:=]?\s*)([1-5]\d\d)\b/g, "$1$2#$3")
    .replace(/\b(?=[a-z_-]*\d)[a-z0-9_-]*[a-z_-][a-z0-9_-]*\b/g, "<id>")
    .replace(/(?<!#)\b\d+(\.\d+)?\b/g, "<n>")
    .replace(/#(\d{3})/g, "$1")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}

function shingles(text: string): Set<string> {
  const words = text.split(/[^a-z0-9<>]+/).filter(Boolean);
  const out = new Set(words);
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`);
  return out;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

const STATUS = /^[1-5]\d\d$/;

/** Texts of one length whose status codes differ at the same place ("status 404" / "status 500") are different reasons. */
function statusCodesDiffer(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.some((w, i) => w !== b[i] && STATUS.test(w) && STATUS.test(b[i]!));
}

/**
 * The reason's text once another text joins it: where texts of one length differ word by word
 * ("could not resolve host cart-db.shop.svc" / "… host auth-db.shop.svc"), the word becomes
 * "<v>", so the reason never names a value only some of its calls had. Texts of another length
 * leave it as it is (the most frequent text's words).
 */
function mergeWords(reason: readonly string[], joining: readonly string[]): string[] {
  if (reason.length !== joining.length) return [...reason];
  return reason.map((w, i) => (w === joining[i] ? w : "<v>"));
}

/** Groups failed calls into reasons, most frequent first. */
export function clusterFailureReasons(calls: readonly FailedCall[], similarity = REASON_SIMILARITY): FailureReason[] {
  if (calls.length === 0) return [];
  const distinct = new Map<string, { count: number; example: string; traceIds: string[] }>();
  for (const c of calls) {
    const raw = c.text?.trim() ?? "";
    const key = raw === "" ? "(no error text)" : normalizeErrorText(raw);
    let entry = distinct.get(key);
    if (!entry) distinct.set(key, (entry = { count: 0, example: raw || "(no error text)", traceIds: [] }));
    entry.count++;
    if (entry.traceIds.length < EXAMPLES && !entry.traceIds.includes(c.traceId)) entry.traceIds.push(c.traceId);
  }
  const ordered = [...distinct.entries()].sort((x, y) => y[1].count - x[1].count || (x[0] < y[0] ? -1 : 1));
  const reasons: (FailureReason & { shingles: Set<string>; words: string[] })[] = [];
  let other: FailureReason | undefined;
  ordered.forEach(([text, entry], i) => {
    if (i >= MAX_DISTINCT) {
      other ??= { reason: "other", count: 0, share: 0, example: entry.example, traceIds: [] };
      other.count += entry.count;
      return;
    }
    const own = shingles(text);
    const words = text.split(" ");
    const home = reasons.find((r) => jaccard(r.shingles, own) >= similarity && !statusCodesDiffer(r.words, words));
    if (home) {
      home.count += entry.count;
      home.words = mergeWords(home.words, words);
      for (const id of entry.traceIds) if (home.traceIds.length < EXAMPLES && !home.traceIds.includes(id)) home.traceIds.push(id);
    } else reasons.push({ reason: text, count: entry.count, share: 0, example: entry.example.slice(0, 300), traceIds: [...entry.traceIds], shingles: own, words });
  });
  const all = [...reasons.map(({ shingles: _s, words, ...r }) => ({ ...r, reason: words.join(" ") })), ...(other ? [other] : [])].sort((x, y) => y.count - x.count || (x.reason < y.reason ? -1 : 1));
  return all.map((r) => ({ ...r, share: Number((r.count / calls.length).toFixed(4)) }));
}

/** "'payment method not found' 12/30, 'seat unavailable' 9/30" (at most `max` reasons). */
export function formatFailureReasons(reasons: readonly FailureReason[], total: number, max = 3): string {
  return reasons
    .slice(0, max)
    .map((r) => `'${r.reason}' ${r.count}/${total}`)
    .join(", ");
}
