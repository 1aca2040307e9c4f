// Renders media/icon.svg into media/icon.png (128×128, the Marketplace and Extensions view icon) with the
// Chromium the UI tests use. Run after editing the SVG:  npx tsx scripts/render-icon.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, REPO_ROOT } from '../test/harness/codeServer';

async function main(): Promise<void> {
  const svg = readFileSync(join(REPO_ROOT, 'media', 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.screenshot({
      path: join(REPO_ROOT, 'media', 'icon.png'),
      omitBackground: true,
      clip: { x: 0, y: 0, width: 128, height: 128 },
    });
  } finally {
    await browser.close();
  }
}

void main();
