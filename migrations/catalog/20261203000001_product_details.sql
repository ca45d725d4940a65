-- What a product page says besides its variants, and the start of its
-- SKUs so staff can add colours and sizes later with matching codes.
ALTER TABLE products ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN material_care TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN sku_prefix TEXT NOT NULL DEFAULT '';
