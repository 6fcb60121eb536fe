-- Send turns are kept in microseconds: the global pace of 30 messages a second is a turn every 33.3 ms, which
-- whole milliseconds cannot hold without rounding the ceiling down to 29.4 a second.
UPDATE send_pace SET next_at = next_at * 1000;
