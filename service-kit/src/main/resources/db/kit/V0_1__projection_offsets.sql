-- Where each projection has read to: committed in the same transaction as the projection's rows.
CREATE TABLE projection_offset (
    projection  TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    partition_  INTEGER NOT NULL,
    next_offset BIGINT  NOT NULL,
    PRIMARY KEY (projection, topic, partition_)
);
