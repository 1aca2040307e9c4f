// The README that goes into the .vsix: README.md with each of its own images (`![alt](media/x.png)`) inlined
// as a data: URI. Why: VS Code shows an installed extension's README in a webview whose Content Security
// Policy is `img-src https: data:`, and it does not resolve a relative path against the extension's folder,
// so a relative image from the .vsix shows broken (microsoft/vscode#43173), and vsce can only rewrite it to
// a repository URL, which this extension does not have. README.md itself keeps its relative paths, which
// work wherever the repository is read.
//   tsx scripts/packageReadme.ts [out]   (default dist/README.md; `npm run package` passes it to vsce --readme-path)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif' };
/** A Markdown image whose target is a path (no scheme, not an anchor), with an optional title. */
const RELATIVE_IMAGE = /!\[([^\]]*)\]\((?![a-z][\w+.-]*:|#)([^)\s]+)((?:\s+"[^"]*")?)\)/gi;

/** `markdown` with every relative image replaced by a data: URI of the file `read(path)` returns. */
export function inlineReadmeImages(markdown: string, read: (path: string) => Buffer): string {
  return markdown.replace(RELATIVE_IMAGE, (_all, alt: string, path: string, title: string) => {
    const ext = /\.(\w+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
    const type = TYPES[ext];
    // VS Code refuses SVG from a README; anything else would show broken: fail the packaging instead.
    if (!type) throw new Error(`README image ${path}: only ${Object.keys(TYPES).join(', ')} can be inlined`);
    return `![${alt}](data:${type};base64,${read(path).toString('base64')}${title})`;
  });
}

/** Writes the packaged README of the repository at `root` to `out`; returns its size in bytes. */
export function writePackagedReadme(root: string, out: string): number {
  const text = inlineReadmeImages(readFileSync(join(root, 'README.md'), 'utf8'), (path) => readFileSync(join(root, path)));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  return Buffer.byteLength(text);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(__filename)) {
  const root = resolve(__dirname, '..');
  const out = resolve(root, process.argv[2] ?? 'dist/README.md');
  const bytes = writePackagedReadme(root, out);
  console.log(`[packageReadme] ${out}: ${(bytes / 1024).toFixed(1)} KiB, images inlined`);
}
