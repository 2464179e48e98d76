-- Relais schema, version 11: the last numbered keyboard of each chat.
--
-- A channel with few buttons shows a long choice as numbered text ("1. …"); the button data of
-- those options is kept here so that a typed "2" presses the second one, also after a restart.
-- Only button data (a question counter and a code), never labels: nothing personal. The row
-- goes with the person (their chat is their platform id: private chats only).
CREATE TABLE numbered_keyboards (
    channel TEXT NOT NULL,
    chat TEXT NOT NULL,
    data TEXT NOT NULL, -- JSON list of button data, in the order shown
    stored_at TEXT NOT NULL,
    PRIMARY KEY (channel, chat),
    FOREIGN KEY (channel, chat) REFERENCES persons (channel, external_id) ON DELETE CASCADE
);
