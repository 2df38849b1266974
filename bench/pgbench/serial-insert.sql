INSERT INTO serial_bench (client, note) VALUES (:client_id, 'queued') RETURNING id;
