/**
 * IAM's wildcard matching, for actions, resources and string conditions, and the subsumption test
 * ("does pattern A match everything pattern B matches?") that coverage questions need.
 *
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html —
 * action names are case-insensitive, `*` and `?` are wildcards.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html —
 * "You can use wildcard characters (* and ?) within the individual segments of an ARN (the parts
 * separated by colons) … If the * wildcard is the last character of a resource ARN segment, it can
 * expand to match beyond the colon boundaries." ARNs are case-sensitive.
 */

export type MatchMode = 'action' | 'arn' | 'string';

const regexCache = new Map<string, RegExp>();

function escapeLiteral(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/**
 * The pattern as a regular expression. In `arn` mode a `*` that does not end a segment stays
 * inside its segment; one that ends a segment (before a colon, or at the end) may cross colons.
 */
function patternRegex(pattern: string, mode: MatchMode): RegExp {
  const key = `${mode}\u0000${pattern}`;
  const cached = regexCache.get(key);
  if (cached) return cached;
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (char === '*') {
      const next = pattern[index + 1];
      source += mode === 'arn' && next !== undefined && next !== ':' ? '[^:]*' : '.*';
    } else if (char === '?') {
      source += mode === 'arn' ? '[^:]' : '.';
    } else {
      source += escapeLiteral(char);
    }
  }
  const regex = new RegExp(`^${source}$`, mode === 'action' ? 'is' : 's');
  regexCache.set(key, regex);
  return regex;
}

/** True when `value` (a concrete name or ARN) matches the IAM pattern. */
export function wildcardMatch(pattern: string, value: string, mode: MatchMode = 'action'): boolean {
  if (pattern === '*') return true;
  return patternRegex(pattern, mode).test(value);
}

export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

/**
 * True when every value `specific` can match is matched by `general` (both IAM patterns). A `*`
 * of `general` may absorb wildcards of `specific`; a `?` of `general` stands for one concrete
 * character only, so it never absorbs a `*`. Sound (never claims coverage that does not hold),
 * and exact for the shapes policies use (`s3:*` covers `s3:Get*`; `s3:Get*` does not cover `s3:*`).
 */
export function patternCovers(general: string, specific: string, mode: MatchMode = 'action'): boolean {
  if (general === '*') return true;
  const fold = (text: string) => (mode === 'action' ? text.toLowerCase() : text);
  const g = fold(general);
  const s = fold(specific);
  const memo = new Map<string, boolean>();
  const covers = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === g.length) {
      result = j === s.length;
    } else {
      const gc = g[i] as string;
      if (gc === '*') {
        const crossesColons = mode !== 'arn' || i + 1 === g.length || g[i + 1] === ':';
        // The star absorbs s[j..k): any run, but in arn mode only inside a segment unless it ends one.
        result = false;
        for (let k = j; k <= s.length; k++) {
          if (covers(i + 1, k)) {
            result = true;
            break;
          }
          if (k < s.length && !crossesColons && s[k] === ':') break;
          if (k < s.length && !crossesColons && s[k] === '*') {
            // A star of specific that may cross colons cannot be absorbed by one that may not.
            const specificCrosses = mode !== 'arn' || k + 1 === s.length || s[k + 1] === ':';
            if (specificCrosses) break;
          }
        }
      } else if (j === s.length) {
        result = false;
      } else {
        const sc = s[j] as string;
        if (gc === '?') result = sc !== '*' && covers(i + 1, j + 1);
        else result = sc === gc && covers(i + 1, j + 1);
      }
    }
    memo.set(key, result);
    return result;
  };
  return covers(0, 0);
}

/** True when some value can match both patterns (a sound over-approximation: may say yes). */
export function patternsOverlap(a: string, b: string, mode: MatchMode = 'action'): boolean {
  if (a === '*' || b === '*') return true;
  if (!hasWildcard(a)) return wildcardMatch(b, a, mode);
  if (!hasWildcard(b)) return wildcardMatch(a, b, mode);
  // Both have wildcards: compare the literal prefixes and suffixes up to the first/last wildcard.
  const fold = (text: string) => (mode === 'action' ? text.toLowerCase() : text);
  const prefix = (text: string) => fold(text.slice(0, text.search(/[*?]/)));
  const suffix = (text: string) => {
    const last = Math.max(text.lastIndexOf('*'), text.lastIndexOf('?'));
    return fold(text.slice(last + 1));
  };
  const [pa, pb] = [prefix(a), prefix(b)];
  const [sa, sb] = [suffix(a), suffix(b)];
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}

/** IAM policy variables (`${aws:username}`) and the escapes `${*}`, `${?}`, `${$}`. */
const VARIABLE = /\$\{([^}]*)\}/g;

export function hasPolicyVariable(value: string): boolean {
  return /\$\{[^}]*\}/.test(value);
}

/**
 * Substitutes policy variables from the request context
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html). A variable
 * whose key the request lacks makes the value unusable (`undefined`), unless it names a default
 * (`${aws:username, 'guest'}`).
 */
export function substituteVariables(
  value: string,
  lookup: (key: string) => string | undefined,
): string | undefined {
  let missing = false;
  const result = value.replace(VARIABLE, (_whole, inner: string) => {
    const name = inner.trim();
    if (name === '*' || name === '?' || name === '$') return name;
    const match = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(name);
    const key = (match ? match[1] : name) as string;
    const found = lookup(key.trim());
    if (found !== undefined) return found;
    if (match) return match[2] as string;
    missing = true;
    return '';
  });
  return missing ? undefined : result;
}
