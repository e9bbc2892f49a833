/**
 * A strict little XML reader for tests (no XML parser is among the dependencies): it throws on anything
 * not well-formed that Firebreak could produce (unclosed or crossed tags, unquoted or repeated attributes,
 * a bare `<` or `&`, unknown entities, text outside the root) and answers the element tree.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes("<")) throw new Error(`a bare "<" in ${where}`);
  return raw.replace(/&([^;\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(";")) throw new Error(`a bare "&" in ${where}`);
    if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
    if (/^#x[0-9a-f]+$/i.test(name)) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`unknown entity &${name}; in ${where}`);
    return value;
  });
}

export function parseXml(source: string): XmlElement {
  const body = source.replace(/^<\?xml[^?]*\?>\s*/, "");
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let at = 0;
  for (let match = tag.exec(body); match; match = tag.exec(body)) {
    const between = body.slice(at, match.index);
    if (stack.length === 0 && between.trim() !== "") throw new Error(`text outside the root: ${between}`);
    const top = stack.at(-1);
    if (top) top.text += decode(between, `<${top.name}>`);
    at = match.index + match[0].length;
    const [, closing, name = "", attributeText = "", selfClosing] = match;
    if (closing) {
      if (stack.pop()?.name !== name) throw new Error(`</${name}> closes nothing open`);
      continue;
    }
    if (root && stack.length === 0) throw new Error(`a second root <${name}>`);
    const attributes: Record<string, string> = {};
    for (const [, key = "", value = ""] of attributeText.matchAll(
      /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g,
    )) {
      if (key in attributes) throw new Error(`attribute ${key} twice on <${name}>`);
      attributes[key] = decode(value, `${name}@${key}`);
    }
    const element: XmlElement = { name, attributes, children: [], text: "" };
    if (top) top.children.push(element);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (body.slice(at).trim() !== "")
    throw new Error(`text after the root, or a malformed tag: ${body.slice(at, at + 40)}`);
  if (stack.length > 0) throw new Error(`<${stack.at(-1)?.name}> is never closed`);
  if (!root) throw new Error("no root element");
  return root;
}

export const childrenNamed = (element: XmlElement, name: string): XmlElement[] =>
  element.children.filter((child) => child.name === name);
