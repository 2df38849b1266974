CREATE SCHEMA psql_seq;
CREATE SEQUENCE psql_seq.counter START 10 INCREMENT BY 5 MAXVALUE 30;
SELECT nextval('psql_seq.counter'), nextval('psql_seq.counter');
SELECT currval('psql_seq.counter'), lastval();
SELECT * FROM psql_seq.counter;
SELECT nextval('psql_seq.counter'), nextval('psql_seq.counter'), nextval('psql_seq.counter');
SELECT nextval('psql_seq.counter');
SELECT setval('psql_seq.counter', 12, false);
SELECT nextval('psql_seq.counter');
CREATE TABLE psql_seq.tickets (id serial PRIMARY KEY, title text NOT NULL);
CREATE TABLE psql_seq.events (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100), name text);
INSERT INTO psql_seq.tickets (title) VALUES ('first'), ('second') RETURNING id;
INSERT INTO psql_seq.tickets (id, title) VALUES (50, 'explicit');
INSERT INTO psql_seq.tickets (title) SELECT 'copy of ' || title FROM psql_seq.tickets WHERE id < 3 ORDER BY id RETURNING *;
INSERT INTO psql_seq.events (name) VALUES ('boot'), ('ready') RETURNING id, name;
INSERT INTO psql_seq.events (id, name) VALUES (1, 'forced');
UPDATE psql_seq.events SET id = 2;
\ds psql_seq.*
\d psql_seq.tickets
\d psql_seq.tickets_id_seq
\d psql_seq.events
\d psql_seq.events_id_seq
SELECT pg_get_serial_sequence('psql_seq.tickets', 'id'), pg_get_serial_sequence('psql_seq.events', 'id');
SELECT sequence_name, data_type, start_value, minimum_value, maximum_value, increment, cycle_option FROM information_schema.sequences WHERE sequence_schema = 'psql_seq' ORDER BY sequence_name;
BEGIN;
SELECT nextval('psql_seq.tickets_id_seq');
ROLLBACK;
INSERT INTO psql_seq.tickets (title) VALUES ('after rollback') RETURNING id;
TRUNCATE psql_seq.tickets RESTART IDENTITY;
INSERT INTO psql_seq.tickets (title) VALUES ('restarted') RETURNING id;
ALTER SEQUENCE psql_seq.counter RESTART WITH 20 INCREMENT BY 1;
SELECT nextval('psql_seq.counter');
DROP SEQUENCE psql_seq.tickets_id_seq;
SELECT nextval('psql_seq.tickets');
DROP TABLE psql_seq.tickets;
\ds psql_seq.*
DROP TABLE psql_seq.events;
DROP SEQUENCE psql_seq.counter;
\ds psql_seq.*
DROP SCHEMA psql_seq;
