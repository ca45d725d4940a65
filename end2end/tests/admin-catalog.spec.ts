import { deflateSync } from 'node:zlib';
import { test, expect, fillIn, jsEnabled, option, ready } from './fixtures';
import { signedIn } from './accounts';
import { changeStock, customerRefused, setPrice, staffOpen } from './staff';

/** A real PNG of `width` × `height` in one colour, made here. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const check = Buffer.alloc(4);
    check.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, check]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill([r, g, b]).flat())]);
  const pixels = Buffer.concat(Array(height).fill(row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A product no other spec counts on.
const HAT = 'men-beanie-hat';

test('staff take stock in and out with a reason and reprice; the shop shows it; customers are refused', async ({ page }) => {
  await customerRefused(page, 'cy', [`/admin/products/${HAT}`, '/admin/products/new']);
  await expect(page.getByTestId('new-product')).toHaveCount(0);
  await page.context().clearCookies();

  await staffOpen(page, 'stan', 'Products and stock');
  await expect(page.getByTestId('admin-products')).toContainText('Beanie hat');
  await page.getByRole('link', { name: 'Beanie hat' }).click();
  await ready(page);

  const variant = page.getByTestId('staff-variant').first();
  const stock = async () => Number((await variant.getByTestId('stock-line').textContent())!.split(' ')[0]);
  const before = await stock();
  const reason = `delivery ${Date.now()}`;
  await changeStock(variant, 5, reason);
  await expect(page.getByTestId('notice')).toContainText(`${before + 5} on hand now`);
  await expect.poll(stock).toBe(before + 5);

  // More out than there is: refused, nothing changes.
  await changeStock(variant, -(before + 100), 'recount');
  await expect(page.getByTestId('form-error')).toContainText('left to take out');
  await expect.poll(stock).toBe(before + 5);
  await variant.getByText('Recent stock changes').click();
  await expect(variant.getByText(reason)).toBeVisible();

  await setPrice(variant, 'twelve');
  await expect(page.getByTestId('form-error')).toContainText('like 24.99');
  await setPrice(variant, '19.50');
  await expect(page.getByTestId('notice')).toContainText('£19.50');

  await page.goto(`/p/${HAT}`);
  await ready(page);
  await expect(page.getByTestId('price')).toContainText('£19.50');
});

test('staff create a product as a grid of colours and sizes, fix what was refused, publish it, and shoppers find it', async ({ page }) => {
  await signedIn(page, 'sam', 'staff');
  await page.goto('/admin/products');
  await ready(page);
  await page.getByRole('link', { name: 'New product' }).click();
  await ready(page);

  const tag = Math.random().toString(36).slice(2, 8);
  const name = `Seersucker shirt ${tag}`;
  const form = page.getByTestId('new-product');
  // The same draft each time, but for its sizes and price.
  const saveDraft = async (sizes: string, price: string) => {
    await form.getByLabel('Name', { exact: true }).fill(name);
    await fillIn(form, {
      Category: option('men-tops'),
      'Description (optional)': 'Light and crinkled, made for hot days.\n\nRelaxed fit.',
      'Material and care (optional)': '100% cotton. Wash at 40°C.',
      'SKU prefix': `SS-${tag}`,
      Colours: 'Blue, White',
      Sizes: sizes,
      'Price of each (£, VAT included)': price,
    });
    await form.getByRole('button', { name: 'Save as draft' }).click();
  };
  await saveDraft('S, M, M', 'twelve');

  // Both mistakes are named beside their fields; everything typed is kept.
  await expect(page.getByTestId('error-price')).toContainText('like 24.99');
  await expect(page.getByTestId('error-sizes')).toContainText('twice');
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue(name);
  await expect(form.getByLabel('Category')).toHaveValue('men-tops');
  await expect(form.getByLabel('Description (optional)')).toHaveValue('Light and crinkled, made for hot days.\n\nRelaxed fit.');
  await expect(form.getByLabel('Colours')).toHaveValue('Blue, White');
  await page.goto('/admin/products');
  await expect(page.getByTestId('admin-products')).not.toContainText(name);

  await page.goto('/admin/products/new');
  await ready(page);
  await saveDraft('S, M, L', '32.50');

  const slug = `seersucker-shirt-${tag}`;
  await expect(page).toHaveURL(new RegExp(`/admin/products/${slug}$`));
  await ready(page);
  await expect(page.getByTestId('notice')).toContainText('Saved');
  await expect(page.getByTestId('staff-variant')).toHaveCount(6);
  await expect(page.getByTestId('staff-variant').first()).toContainText(`SS-${tag.toUpperCase()}-BLUE-S`);
  // A draft is not in the shop yet.
  expect((await page.goto(`/p/${slug}`))?.status()).toBe(404);

  await page.goto(`/admin/products/${slug}`);
  await ready(page);
  await changeStock(page.getByTestId('staff-variant').first(), 3, 'first delivery');
  await expect(page.getByTestId('notice')).toContainText('3 on hand now');

  await page.getByText('Add colours or sizes').click();
  const grid = page.getByTestId('add-variants');
  await fillIn(grid, { Colours: 'Sage', Sizes: 'M', 'Price of each (£, VAT included)': '34' });
  await grid.getByRole('button', { name: 'Add variants' }).click();
  await expect(page.getByTestId('staff-variant')).toHaveCount(7);

  // A picture: a text file called .jpg is refused by what it is, and what
  // was typed stays; a real picture is resized and shown.
  const upload = page.getByTestId('upload-picture');
  // The colour is chosen each time; what it shows is typed when given.
  const sendPicture = async (file: { name: string; mimeType: string; buffer: Buffer }, shows?: string) => {
    await upload.getByLabel('Colour it shows').selectOption('Blue');
    if (shows !== undefined) await upload.getByLabel('What it shows').fill(shows);
    await upload.getByLabel('Picture (JPEG, PNG or WebP)').setInputFiles(file);
    await upload.getByRole('button', { name: 'Upload picture' }).click();
  };
  const text = { name: 'shirt.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is a text file, not a picture') };
  await sendPicture(text, 'The blue shirt, folded');
  if (jsEnabled()) {
    await expect(page.getByTestId('upload-error')).toContainText('not a JPEG, PNG or WebP');
  } else {
    await expect(page.getByTestId('error-file')).toContainText('not a JPEG, PNG or WebP');
    await expect(upload.getByLabel('What it shows')).toHaveValue('The blue shirt, folded');
    await expect(upload.getByLabel('Colour it shows')).toHaveValue('Blue');
    await upload.getByLabel('What it shows').fill('The blue shirt, folded');
  }
  await expect(page.getByTestId('staff-pictures')).toHaveCount(0);
  // Over the 10 MB limit: said beside the field, in MB, with or without JS.
  const huge = Buffer.concat([png(300, 300, [0, 0, 0]), Buffer.alloc(11_000_000)]);
  await sendPicture({ name: 'huge.png', mimeType: 'image/png', buffer: huge }, 'The blue shirt, folded');
  const sizeError = page.getByTestId(jsEnabled() ? 'upload-error' : 'error-file');
  await expect(sizeError).toContainText('pictures can be at most 10.0 MB');
  await expect(page.getByTestId('staff-pictures')).toHaveCount(0);
  // What it shows is not typed again: it was kept.
  await sendPicture({ name: 'shirt.png', mimeType: 'image/png', buffer: png(800, 1000, [40, 80, 160]) });
  await expect(page.getByTestId('staff-pictures').getByRole('listitem')).toHaveCount(1);
  await expect(page.getByTestId('staff-pictures')).toContainText('Blue: The blue shirt, folded');
  await ready(page);

  await page.getByText('Details and status').click();
  const details = page.getByTestId('product-details');
  await details.getByLabel('Name', { exact: true }).fill('');
  await details.getByLabel('Active: in the shop').check();
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByTestId('error-name')).toBeVisible();
  await expect(details.getByLabel('Active: in the shop')).toBeChecked();
  await details.getByLabel('Name', { exact: true }).fill(name);
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByTestId('notice')).toContainText('Saved');

  await page.goto(`/c/men-tops?sort=newest`);
  await ready(page);
  await expect(page.getByRole('link', { name: new RegExp(name) }).first()).toBeVisible();
  await page.goto(`/p/${slug}`);
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('price')).toContainText('£32.50 to £34.00');
  await expect(page.getByTestId('about')).toContainText('Relaxed fit.');
  await expect(page.getByTestId('material-care')).toHaveText('100% cotton. Wash at 40°C.');
  const picture = page.getByTestId('gallery').getByRole('img', { name: 'The blue shirt, folded' });
  await expect(picture).toBeVisible();
  // It really loaded (a WebP or JPEG made from the upload), at its own size.
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  expect(await picture.getAttribute('width')).toBe('640');
  await page.goto('/c/men-tops?sort=newest');
  await expect(page.getByRole('link', { name: new RegExp(name) }).first().locator('img')).toBeVisible();

  // Taken off again by staff: gone from the back office and the shop.
  await page.goto(`/admin/products/${slug}`);
  await ready(page);
  await page.getByRole('button', { name: 'Remove the picture Blue: The blue shirt, folded' }).click();
  await expect(page.getByTestId('notice')).toContainText('Picture removed');
  await expect(page.getByTestId('staff-pictures')).toHaveCount(0);
  await page.goto(`/p/${slug}`);
  await expect(page.getByTestId('gallery')).toHaveCount(0);
});

test('staff find products by name and status, and see which sizes are running low', async ({ page }) => {
  await signedIn(page, 'lou', 'staff');
  await page.goto('/admin/products');
  await ready(page);
  await expect(page.getByTestId('low-stock')).toContainText('3 or fewer left');

  const filters = page.getByTestId('product-filters');
  await fillIn(filters, { 'Name or address': 'BEANIE', Status: option('active') });
  await filters.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/q=BEANIE&status=active/);
  const rows = page.getByTestId('admin-products').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Beanie hat');
  // What was asked stays in the form.
  await expect(filters.getByLabel('Name or address')).toHaveValue('BEANIE');
  await expect(filters.getByLabel('Status')).toHaveValue('active');

  await filters.getByLabel('Status').selectOption('archived');
  await filters.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByTestId('no-products')).toBeVisible();
  await expect(rows).toHaveCount(0);

  await page.getByTestId('low-stock').locator('summary').click();
  await page.getByTestId('low-stock').getByRole('link').first().click();
  await expect(page).toHaveURL(/\/admin\/products\/[a-z0-9-]+$/);
  await expect(page.getByTestId('staff-variant').first()).toBeVisible();
});
