-- rsm schema, version 14 (issue 18): a medium's and a drive's history (rsmctl media history,
-- drive history) read from the event log: the events of their own rows (by object_id, indexed
-- already) and those of the library requests that named them, found by these indexes.
CREATE INDEX event_log_request_media ON event_log ((data ->> 'media_id'))
    WHERE object_kind = 'library_request';
CREATE INDEX event_log_request_drive ON event_log ((data ->> 'drive_id'))
    WHERE object_kind = 'library_request';
