/**
 * The packet inspector: hex dump and field tree linked both ways, the field
 * tree a keyboard tree (one Tab stop, arrow keys) opening on the innermost
 * layer, layers stacked, spec links, copy as hex and as text, the lens, and
 * certificates decoded — all checked against the Timeline the engine prints
 * in Node for the same seed.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Field } from '../../sim/index';
import { waitForIslands } from './hydration';
import { findEncryptedStep, runInNode } from './lab-engine';
import { seriousAxeIssues } from './axe';

/** Opens the lab; without a search, on the two-packet keepalive these tests step through. */
async function openLab(page: Page, search = '?scenario=options-keepalive') {
  await page.goto(`/${search}`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step \d+ of \d+$/)).toBeVisible({ timeout: 20_000 });
}

/** The first field of that name (starting after byte `after`), depth first, as the tree lists them. */
function findField(fields: Field[], name: string, after = -1): Field {
  const all = (list: Field[]): Field[] => list.flatMap((f) => [f, ...all(f.children ?? [])]);
  const found = all(fields).find((f) => f.name === name && f.start > after);
  if (!found) throw new Error(`no field ${name} in the engine's tree`);
  return found;
}

/** The lit bytes of a hex dump, as hex, in order. */
function litBytes(hex: Locator): Promise<string[]> {
  return hex.evaluate((el) =>
    [...el.querySelectorAll('.hexcol .lit')].flatMap((s) => s.textContent!.split(' ').filter((b) => b !== '')),
  );
}

/** Where byte `offset` is drawn in a hex dump: the middle of its two hex digits. */
async function bytePoint(hex: Locator, offset: number): Promise<{ x: number; y: number }> {
  return hex.evaluate((el, at) => {
    // In the middle of the window, clear of the sticky step controls.
    el.scrollIntoView({ block: 'center' });
    const column = [...el.querySelectorAll<HTMLElement>('.hexcol[data-start]')].find(
      (c) => at >= Number(c.dataset.start) && at < Number(c.dataset.start) + Number(c.dataset.count),
    )!;
    const k = at - Number(column.dataset.start);
    const rect = column.getBoundingClientRect();
    const chars = Number(column.dataset.count) * 3 - 1;
    return { x: rect.left + ((k * 3 + 1) / chars) * rect.width, y: rect.top + rect.height / 2 };
  }, offset);
}

test('hovering or focusing a field lights exactly its bytes', async ({ page }) => {
  const step = (await runInNode('options-keepalive')).steps[0];
  await openLab(page);
  const wire = page.getByRole('region', { name: /^On the wire/ });
  const hex = wire.getByRole('textbox', { name: /bytes in hexadecimal/ });
  const tree = wire.getByRole('tree', { name: /: fields$/ });
  await wire.getByRole('button', { name: 'Open all fields' }).click();

  for (const name of ['Destination port', 'Call-ID', 'Source address']) {
    const field = findField(step.fields, name);
    // Its own row, not the middle of the item (a branch's middle is one of its children).
    await tree
      .getByRole('treeitem', { name: new RegExp(`^${name} `) })
      .first()
      .locator(':scope > .row')
      .hover();
    // The lit bytes are the packet's own bytes at exactly that range.
    await expect.poll(() => litBytes(hex)).toHaveLength(field.end - field.start);
    expect((await litBytes(hex)).join('')).toBe(step.bytes.slice(field.start * 2, field.end * 2));
  }

  // The keyboard's turn: the mouse leaves the tree (a row scrolled under it would light its own bytes).
  await page.mouse.move(0, 0);
  await tree
    .getByRole('treeitem', { name: /^Max-Forwards / })
    .first()
    .focus();
  const maxForwards = findField(step.fields, 'Max-Forwards');
  await expect.poll(() => litBytes(hex)).toHaveLength(maxForwards.end - maxForwards.start);
});

test('selecting bytes opens the field they belong to, with the mouse and with the keyboard', async ({ page }) => {
  const step = (await runInNode('options-keepalive')).steps[0];
  await openLab(page);
  const wire = page.getByRole('region', { name: /^On the wire/ });
  const hex = wire.getByRole('textbox', { name: /bytes in hexadecimal/ });
  const tree = wire.getByRole('tree', { name: /: fields$/ });

  // Close everything first, so opening the field has to expand its ancestors.
  await wire.getByRole('button', { name: 'Close all fields' }).click();
  await expect(tree.getByRole('treeitem', { name: /^Destination port/ })).toHaveCount(0);

  const port = findField(step.fields, 'Destination port');
  const portByte = await bytePoint(hex, port.start + 1);
  await page.mouse.click(portByte.x, portByte.y);
  const portButton = tree.getByRole('treeitem', { name: /^Destination port/ });
  await expect(portButton).toHaveAttribute('aria-selected', 'true');
  await expect(portButton).toBeInViewport();

  // A drag across several fields opens the smallest field that holds them all: the UDP header's parent.
  const srcPort = findField(step.fields, 'Source port');
  const checksum = findField(step.fields, 'Checksum', srcPort.start);
  const [from, to] = [await bytePoint(hex, srcPort.start), await bytePoint(hex, checksum.end - 1)];
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  await expect(tree.getByRole('treeitem', { name: /^UDP / })).toHaveAttribute('aria-selected', 'true');

  // Keyboard: focus the bytes, Home goes to byte 0 (the IPv4 version), → walks on.
  await hex.focus();
  await page.keyboard.press('Home');
  await expect(tree.getByRole('treeitem', { name: /^Version, IHL/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(tree.getByRole('treeitem', { name: /^Type of service/ })).toHaveAttribute('aria-selected', 'true');
  // The arrow keys inside the hex dump move the caret, not the run.
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible();
  await expect(
    page.locator('.sr-only[aria-live]').filter({ hasText: /^Byte 1 \(0x0001\): Type of service/ }),
  ).toHaveCount(1);
});

test('layers are stacked, and each field links to its specification', async ({ page }) => {
  const step = (await runInNode('options-keepalive')).steps[0];
  await openLab(page);
  const wire = page.getByRole('region', { name: /^On the wire/ });
  const stack = wire.getByRole('navigation', { name: /^Layers/ });
  const layerNames: string[] = [];
  const visit = (fs: Field[]) =>
    fs.forEach((f) => {
      if (f.layer) layerNames.push(f.name);
      if (f.children) visit(f.children);
    });
  visit(step.fields);
  await expect(stack.getByRole('button')).toHaveText(layerNames);

  await stack.getByRole('button', { name: 'SIP message' }).click();
  const tree = wire.getByRole('tree', { name: /: fields$/ });
  await expect(tree.getByRole('treeitem', { name: /^SIP message / })).toHaveAttribute('aria-selected', 'true');

  // The selected field's specification is one Tab away from the tree.
  const ipv4 = step.fields[0];
  await tree.getByRole('treeitem', { name: /^IPv4 / }).click();
  await page.keyboard.press('Tab');
  const link = wire.getByRole('link', { name: `${ipv4.spec} (opens the specification)` });
  await expect(link).toBeFocused();
  await expect(link).toHaveAttribute('href', /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc791#section-3\.1$/);
});

test('the field tree opens on the innermost layer and is one Tab stop moved through with the arrow keys', async ({
  page,
}) => {
  const step = (await runInNode('options-keepalive')).steps[0];
  await openLab(page);
  const tree = page.getByRole('region', { name: /^On the wire/ }).getByRole('tree', { name: /: fields$/ });
  const items = tree.getByRole('treeitem');
  // The layers at the top, outermost first; only the innermost (the SIP message) open.
  await expect(tree.locator(':scope > li')).toHaveCount(3);
  await expect(tree.getByRole('treeitem', { name: /^IPv4 / })).toHaveAttribute('aria-expanded', 'false');
  await expect(tree.getByRole('treeitem', { name: /^SIP message / })).toHaveAttribute('aria-expanded', 'true');
  await expect(tree.locator('[tabindex="0"]')).toHaveCount(1);

  const ipv4 = tree.getByRole('treeitem', { name: /^IPv4 / });
  await ipv4.focus();
  await page.keyboard.press('ArrowRight');
  await expect(ipv4).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(tree.getByRole('treeitem', { name: /^Version, IHL/ })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(tree.getByRole('treeitem', { name: /^Type of service/ })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(ipv4).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(ipv4).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('End');
  await expect(items.last()).toBeFocused();
  // The arrow keys in the tree move through it, not the run.
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible();
  // A long value wraps at its spaces.
  const via = findField(step.fields, 'Via');
  expect(via.value!.includes(' ')).toBe(true);
  await expect(tree.getByRole('treeitem', { name: /^Via / }).first().locator('.value')).toHaveCSS(
    'overflow-wrap',
    'break-word',
  );
});

test('copy as hex and as text put the packet on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const step = (await runInNode('options-keepalive')).steps[0];
  await openLab(page);
  const wire = page.getByRole('region', { name: /^On the wire/ });

  await wire.getByRole('button', { name: 'Copy as hex' }).click();
  const hex = await page.evaluate(() => navigator.clipboard.readText());
  // Offsets then bytes, 16 a line: the layout text2pcap and Wireshark's hex import read.
  const lines = hex.split('\n');
  expect(lines[0]).toMatch(/^0000 {2}([0-9a-f]{2} ){15}[0-9a-f]{2}$/);
  expect(lines.map((l) => l.slice(6).replaceAll(' ', '')).join('')).toBe(step.bytes);

  await wire.getByRole('button', { name: 'Copy as text' }).click();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  const udp = step.fields[0].children!.find((f) => f.name === 'UDP')!;
  expect(text).toContain(`IPv4: ${step.fields[0].value} [0..${step.fields[0].end})`);
  expect(text).toContain(`  UDP: ${udp.value} [${udp.start}..${udp.end})`);
  await expect(page.locator('.sr-only[aria-live]').filter({ hasText: 'Copied the fields as text' })).toHaveCount(1);
});

test('the lens: the attacker sees ciphertext where the PBX reads what is inside', async ({ page }) => {
  const found = await findEncryptedStep();
  expect(found, 'a scenario in the catalogue has an encrypted packet').toBeTruthy();
  const { scenario, step } = found!;
  await openLab(page, `?scenario=${scenario}&step=${step.index + 1}`);
  const inspector = page.getByRole('region', { name: 'Packet inspector' });

  await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'PBX', exact: true }).check();
  for (const layer of step.views.pbx.layers) {
    await expect(inspector.getByRole('region', { name: new RegExp(`as the PBX reads it`) }).first()).toBeVisible();
    await expect(inspector).toContainText(layer.title);
  }
  // A field selected in what the PBX decrypted stays selected through the SBC's eyes: the same layer.
  const asPbx = inspector.getByRole('region', { name: /as the PBX reads it/ }).first();
  const chosen = asPbx.getByRole('tree').getByRole('treeitem').first();
  const chosenName = (await chosen.getAttribute('aria-labelledby'))!;
  await chosen.click();
  await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'SBC', exact: true }).check();
  await expect(
    inspector
      .getByRole('region', { name: /as the SBC reads it/ })
      .first()
      .locator(`[aria-labelledby="${chosenName}"]`),
  ).toHaveAttribute('aria-selected', 'true');

  await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'Attacker', exact: true }).check();
  await expect(inspector).toContainText(`Attacker sees metadata only: ${step.views.attacker.summary}`);
  await expect(inspector.getByRole('region', { name: /reads it$/ })).toHaveCount(0);
  // What the attacker reads deepest is the wire itself: its fields open, where the PBX's lens had folded them.
  await expect(inspector.getByRole('region', { name: /^On the wire/ }).getByRole('tree')).toBeVisible();
  await expect(inspector.getByRole('region', { name: /^On the wire/ })).toBeVisible();
});

test('a Certificate message shows each certificate decoded: its subject, issuer and notAfter, and the checker’s clock', async ({
  page,
}) => {
  const timeline = await runInNode('secure-call');
  const step = timeline.steps.find((s) => s.summary === 'Certificate' && s.from === 'sbc')!;
  const all = (list: Field[]): Field[] => list.flatMap((f) => [f, ...all(f.children ?? [])]);
  const leaf = all(step.views.pbx.layers[0].fields).find((f) => f.layer === 'x509')!;
  const notAfter = all(leaf.children!).find((f) => f.name === 'notAfter')!.value!;
  const subject = all(leaf.children!).find((f) => f.name === 'subject')!.value!;
  const check = step.events.find((e) => e.kind === 'certificate-check');
  await openLab(page, `?scenario=secure-call&step=${step.index + 1}`);

  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  const certificates = inspector.getByRole('region', { name: 'Certificates in this message' });
  await expect(certificates).toContainText(`${subject.split('CN=')[1]}, issued by`);
  await expect(certificates).toContainText(`valid until ${notAfter}`);
  await expect(certificates).toContainText(leaf.value!);
  expect(check && check.kind === 'certificate-check' && check.at).toBeTruthy();
  await expect(certificates).toContainText(
    `The PBX checked it by its own clock, ${check!.kind === 'certificate-check' && check!.at}`,
  );

  // Its fields, each byte explained by the DER parser, with their RFC 5280 sections.
  await certificates.getByRole('button', { name: 'Show its fields' }).first().click();
  const tree = inspector.getByRole('tree', { name: /as the PBX reads it: fields$/ });
  const cert = tree.getByRole('treeitem', { name: new RegExp(`^Certificate ${leaf.value!.split(',')[0]}`) });
  await expect(cert).toHaveAttribute('aria-selected', 'true');
  await cert.press('ArrowRight');
  await tree.getByRole('treeitem', { name: /^tbsCertificate / }).click();
  for (const name of [
    'version',
    'serialNumber',
    'issuer',
    'validity',
    'subject',
    'subjectPublicKeyInfo',
    'extensions',
  ]) {
    await expect(tree.getByRole('treeitem', { name: new RegExp(`^${name} `) }).first()).toBeVisible();
  }
  await expect(seriousAxeIssues(page, { within: inspector })).resolves.toEqual([]);
});
