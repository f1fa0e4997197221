import fs from 'node:fs';
import { it } from 'vitest';
import { run } from './support/convert-helpers.js';
import { launchChromium, startStaticServer } from './support/chromium.js';
it('shot', async () => {
  const files = (process.env.FILES ?? '').split(',');
  const server = await startStaticServer();
  const b = await launchChromium();
  for (const f of files) {
    const [p, to, mode] = f.split('@');
    const { text } = await run(p!, to!, { flame: { chart: mode === 'chart', inverted: mode === 'inv' } });
    const name = '/' + p!.split('/').pop() + '.' + (mode ?? '') + '.' + to;
    fs.writeFileSync('/tmp/fg' + name, text);
    server.put(name, text);
    const page = await b.open(server.origin + name, { width: 1280, height: 900 });
    fs.writeFileSync('/tmp/fg' + name + '.png', await page.screenshot());
    console.log(name, text.length, page.errors);
  }
  await b.close(); await server.close();
}, 120000);
