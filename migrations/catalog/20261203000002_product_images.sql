-- Pictures of products, one colour each. The files live in the media store
-- under key_base (`products/<product>/<image>`): `-<width>.jpg` and
-- `-<width>.webp` for each width listed, or `.svg` when widths is empty (a
-- drawing). Links are made from the key when read.
CREATE TABLE product_images (
    id            TEXT   PRIMARY KEY,
    product_id    TEXT   NOT NULL REFERENCES products (id),
    colour        TEXT   NOT NULL,
    alt           TEXT   NOT NULL,
    width         BIGINT NOT NULL,
    height        BIGINT NOT NULL,
    widths        TEXT   NOT NULL,
    key_base      TEXT   NOT NULL,
    position      BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX product_images_product ON product_images (product_id, position);
