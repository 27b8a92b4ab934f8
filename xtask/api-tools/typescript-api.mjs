// Compares the declaration files of two builds of the TypeScript package with the TypeScript
// compiler's own checker: every export of the old `index.d.ts`, its type as the compiler prints
// it, a union of literals as its members and an object (a code family's constant, an interface)
// as its properties.
//
// Usage: node typescript-api.mjs TYPESCRIPT_PACKAGE_DIR OLD_DIST NEW_DIST
//
// Prints one line per change and a last line `verdict: none|additions|break`: `break` when an
// export is removed or changes in a way old code may not compile against (a narrower union, a
// removed or retyped property, a changed signature), `additions` when exports, union members or
// properties are only added, `none` when the surfaces are the same.

import { createRequire } from "node:module";
import path from "node:path";

const [typescriptDir, oldDist, newDist] = process.argv.slice(2);
const ts = createRequire(path.join(path.resolve(typescriptDir), "package.json"))("typescript");

const oldIndex = path.resolve(oldDist, "index.d.ts");
const newIndex = path.resolve(newDist, "index.d.ts");
const program = ts.createProgram([oldIndex, newIndex], { strict: true, noEmit: true, skipLibCheck: true });
const checker = program.getTypeChecker();

/** A union of literals (a family's codes or names), as its members; one literal is a union of one. */
function literalMembers(type) {
  const members = type.isUnion() ? type.types : [type];
  const literal = (member) => member.isLiteral() || member.flags & ts.TypeFlags.BooleanLiteral;
  return members.every(literal) ? new Set(members.map((member) => checker.typeToString(member))) : undefined;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
const typeDeclaration = (declaration) => ts.isTypeAliasDeclaration(declaration) || ts.isInterfaceDeclaration(declaration);

/** One side's declarations as the compiler prints them without comments (doc text is no API). */
function declarationText(symbol, side) {
  return (symbol.declarations ?? [])
    .filter((declaration) => (side === "type") === typeDeclaration(declaration) || ts.isClassDeclaration(declaration))
    .map((declaration) => printer.printNode(ts.EmitHint.Unspecified, declaration, declaration.getSourceFile()))
    .join("\n");
}

/** What a caller sees of one side of an export (see the file's doc). */
function describe(symbol, side) {
  if (side === "type") {
    const members = literalMembers(checker.getDeclaredTypeOfSymbol(symbol));
    return members ? { members } : { text: declarationText(symbol, side) };
  }
  const type = checker.getTypeOfSymbol(symbol);
  const values = (symbol.declarations ?? []).filter((declaration) => !typeDeclaration(declaration));
  const constant = values.length > 0 && values.every((declaration) => ts.isVariableDeclaration(declaration));
  const callable = type.getCallSignatures().length + type.getConstructSignatures().length > 0;
  if (constant && !callable && type.flags & ts.TypeFlags.Object && !checker.isArrayLikeType(type)) {
    const properties = checker.getPropertiesOfType(type);
    if (properties.length > 0 && properties.every((property) => literalMembers(checker.getTypeOfSymbol(property)))) {
      return {
        properties: new Map(
          properties.map((property) => [property.name, checker.typeToString(checker.getTypeOfSymbol(property))]),
        ),
      };
    }
  }
  return { text: declarationText(symbol, side) };
}

/** Every export of a declaration file: name to the described value and type sides. */
function surface(file) {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${file}`);
  const exports = new Map();
  for (let symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(source))) {
    const name = symbol.name;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const sides = {};
    if (symbol.flags & ts.SymbolFlags.Value) sides.value = describe(symbol, "value");
    if (symbol.flags & ts.SymbolFlags.Type) sides.type = describe(symbol, "type");
    exports.set(name, sides);
  }
  return exports;
}

/** `break`, `additions` or `none` for one side of one export, with what changed. */
function judge(name, before, after, say) {
  if (!before && !after) return "none";
  if (!after) return say("break", `${name}: no longer exported`);
  if (!before) return say("additions", `${name}: added`);
  if (before.members && after.members) {
    const lost = [...before.members].filter((member) => !after.members.has(member));
    const gained = [...after.members].filter((member) => !before.members.has(member));
    if (lost.length) return say("break", `${name}: loses ${lost.join(" | ")}`);
    return gained.length ? say("additions", `${name}: gains ${gained.join(" | ")}`) : "none";
  }
  if (before.properties && after.properties) {
    let verdict = "none";
    for (const [property, type] of before.properties) {
      if (!after.properties.has(property)) return say("break", `${name}.${property}: removed`);
      if (after.properties.get(property) !== type) {
        return say("break", `${name}.${property}: ${type} -> ${after.properties.get(property)}`);
      }
    }
    for (const property of after.properties.keys()) {
      if (!before.properties.has(property)) verdict = say("additions", `${name}.${property}: added`);
    }
    return verdict;
  }
  const was = JSON.stringify(before.text ?? [...(before.members ?? before.properties ?? [])]);
  const now = JSON.stringify(after.text ?? [...(after.members ?? after.properties ?? [])]);
  return was === now ? "none" : say("break", `${name}: ${was} -> ${now}`);
}

const rank = { none: 0, additions: 1, break: 2 };
const before = surface(oldIndex);
const after = surface(newIndex);
let verdict = "none";
const say = (found, line) => {
  console.log(`${found}: ${line}`);
  return found;
};
for (const name of new Set([...before.keys(), ...after.keys()])) {
  for (const side of ["value", "type"]) {
    const found = judge(`${name} (${side})`, before.get(name)?.[side], after.get(name)?.[side], say);
    if (rank[found] > rank[verdict]) verdict = found;
  }
}
console.log(`verdict: ${verdict}`);
