// The README packaged into the .vsix (scripts/packageReadme.ts): its own images inlined as data: URIs,
// the only kind of local image VS Code's Extensions page shows (test/ui/vsix.ui.ts looks at the page).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineReadmeImages, writePackagedReadme } from '../../scripts/packageReadme';

const ROOT = join(__dirname, '../..');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);

describe('the packaged README', () => {
  it('inlines each relative image as a data: URI of its exact bytes, with its alt text and title', () => {
    const read: string[] = [];
    const out = inlineReadmeImages('# T\n\n![The tree](media/a.png)\n\ntext ![b](./b.JPG "B") end\n', (p) => {
      read.push(p);
      return PNG;
    });
    assert.deepEqual(read, ['media/a.png', './b.JPG']);
    const b64 = PNG.toString('base64');
    assert.equal(out, `# T\n\n![The tree](data:image/png;base64,${b64})\n\ntext ![b](data:image/jpeg;base64,${b64} "B") end\n`);
  });

  it('leaves links, remote and data images and anchors alone', () => {
    const text = '[CONTRIBUTING.md](CONTRIBUTING.md) ![x](https://example.com/x.png) ![y](data:image/png;base64,AA==) ![z](#top)';
    assert.equal(
      inlineReadmeImages(text, () => assert.fail('nothing to read')),
      text,
    );
  });

  it('refuses an image it cannot inline (SVG) and a file that is not there, so packaging stops', () => {
    assert.throws(() => inlineReadmeImages('![i](media/vbot.svg)', () => PNG), /media\/vbot\.svg: only png/);
    assert.throws(() => inlineReadmeImages('![i](media/missing.png)', (p) => readFileSync(join(ROOT, p))), /ENOENT/);
  });

  it("the repository's README: every image inlined from media/, the rest of the text unchanged", () => {
    const dir = mkdtempSync(join(tmpdir(), 'vbot-readme-'));
    try {
      const out = join(dir, 'README.md');
      const bytes = writePackagedReadme(ROOT, out);
      const source = readFileSync(join(ROOT, 'README.md'), 'utf8');
      const packaged = readFileSync(out, 'utf8');
      assert.equal(bytes, Buffer.byteLength(packaged));
      const images = [...source.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
      assert.ok(images.length >= 1, 'the README shows at least one screenshot');
      assert.ok(
        images.every((p) => p.startsWith('media/')),
        `README images come from media/: ${images.join(', ')}`,
      );
      let rebuilt = packaged;
      for (const p of images) {
        const uri = `data:image/png;base64,${readFileSync(join(ROOT, p)).toString('base64')}`;
        assert.ok(packaged.includes(`](${uri})`), `${p} is inlined`);
        rebuilt = rebuilt.replace(uri, p);
      }
      assert.equal(rebuilt, source);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
