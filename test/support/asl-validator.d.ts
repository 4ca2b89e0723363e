// asl-validator ships no type declarations; this is the part the definition test uses.
declare module 'asl-validator' {
  export default function aslValidator(definition: unknown): { isValid: boolean; errors: unknown[] };
}
