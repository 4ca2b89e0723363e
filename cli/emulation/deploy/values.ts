/** Small value helpers: loose template values read as CloudFormation means them. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function number(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = Number(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** CloudFormation booleans arrive as true/false or as the strings "true"/"false". */
export function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

export function optionalBoolean(value: unknown): boolean | undefined {
  return value === undefined ? undefined : truthy(value);
}

export function stringRecord(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
}

export function policyText(policy: unknown): string {
  return typeof policy === 'string' ? policy : JSON.stringify(policy);
}

/** Turns numeric and boolean strings into numbers and booleans at the named keys, at any depth. */
export function coerce(value: unknown, numbers: Set<string>, booleans: Set<string>, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => coerce(item, numbers, booleans));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, coerce(item, numbers, booleans, name)]),
    );
  }
  if (key && numbers.has(key)) return number(value);
  if (key && booleans.has(key)) return truthy(value);
  return value;
}

export function isJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

export const PYTHON_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

/**
 * Reads the Python literal moto prints for a dict (`{'Action': ['s3:*'], 'Enabled': True}`):
 * strings in either quote with their escapes, numbers, True/False/None, lists and dicts.
 */
export function parsePythonLiteral(text: string): unknown {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`not a Python literal: ${what} at ${at}`);
  };
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) fail(`expected ${char}`);
    at += 1;
  };
  const items = <T>(close: string, item: () => T): T[] => {
    const out: T[] = [];
    skipSpace();
    while (text[at] !== close) {
      out.push(item());
      skipSpace();
      if (text[at] === ',') at += 1;
      else if (text[at] !== close) fail(`expected , or ${close}`);
      skipSpace();
    }
    at += 1;
    return out;
  };
  const string = (): string => {
    const quote = text[at];
    at += 1;
    let out = '';
    while (text[at] !== quote) {
      const char = text[at];
      if (char === undefined) fail('unterminated string');
      if (char !== '\\') {
        out += char;
        at += 1;
        continue;
      }
      const next = text[at + 1] ?? '';
      const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      if (width > 0) {
        out += String.fromCodePoint(Number.parseInt(text.slice(at + 2, at + 2 + width), 16));
        at += 2 + width;
      } else {
        out += PYTHON_ESCAPES[next] ?? `\\${next}`;
        at += 2;
      }
    }
    at += 1;
    return out;
  };
  const value = (): unknown => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at += 1;
      return Object.fromEntries(
        items('}', () => {
          skipSpace();
          const key = value();
          expect(':');
          return [String(key), value()] as const;
        }),
      );
    }
    if (char === '[') {
      at += 1;
      return items(']', value);
    }
    if (char === "'" || char === '"') return string();
    const word = /^(True|False|None|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(at))?.[0];
    if (!word) return fail(`unexpected ${char ?? 'end'}`);
    at += word.length;
    return word === 'True' ? true : word === 'False' ? false : word === 'None' ? null : Number(word);
  };
  const result = value();
  skipSpace();
  if (at !== text.length) fail('trailing text');
  return result;
}

export function hasIntrinsic(value: unknown, name: string): boolean {
  if (Array.isArray(value)) return value.some((item) => hasIntrinsic(item, name));
  if (!isRecord(value)) return false;
  return Object.entries(value).some(([key, item]) => key === name || hasIntrinsic(item, name));
}

export function oneLine(value: string, max = 400): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Removes resources from a template (the copy sent to moto), and every DependsOn on them. */
export function dropResources(
  template: { Resources: Record<string, unknown> },
  logicalIds: readonly string[],
): void {
  if (logicalIds.length === 0) return;
  for (const logicalId of logicalIds) delete template.Resources[logicalId];
  for (const resource of Object.values(template.Resources)) {
    if (!isRecord(resource) || resource.DependsOn === undefined) continue;
    const kept = list(resource.DependsOn).filter((id) => !logicalIds.includes(String(id)));
    if (kept.length > 0) resource.DependsOn = kept;
    else delete resource.DependsOn;
  }
}
