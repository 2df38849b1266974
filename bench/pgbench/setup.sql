CREATE TABLE serial_bench (id bigserial PRIMARY KEY, client int NOT NULL, note text);
CREATE SEQUENCE nextval_bench;
