//! A confirmation being put together in the chat: the photos, the place, the outcome, the missing items or
//! the problem, and a note. Each step is a function on [`Draft`], so the handlers only parse and reply, and
//! a draft that reaches [`Draft::ready`] is complete by construction.

use super::evidence::{GeoPoint, Outcome, Problem};
use serde::{Deserialize, Serialize};

/// Telegram albums hold up to ten pictures; more than that is not one delivery's evidence.
pub const MAX_PHOTOS: usize = 10;
pub const MAX_NOTE_CHARS: usize = 500;
pub const MAX_DETAIL_CHARS: usize = 300;
const MIN_DETAIL_CHARS: usize = 3;

/// A photo (or a picture sent as a file) as Telegram gave it; the bytes are fetched after the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub file_id: String,
    pub file_unique_id: String,
    /// Sent as a file, which keeps the camera's EXIF (a compressed photo loses it).
    #[serde(default)]
    pub as_document: bool,
    /// The album it came in: the pictures of one album are one answer, not one each.
    #[serde(default)]
    pub album: Option<String>,
    /// When the bot received it (Unix ms).
    pub received_ms: i64,
}

/// What the bot waits for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Photos (and the place); then the outcome, with buttons.
    #[default]
    Photos,
    /// Which items of the package did not arrive (buttons), then "done".
    Items,
    /// Why it was not received (buttons).
    Problem,
    /// The problem in words ("other").
    ProblemText,
    /// A note, typed.
    Note,
    /// Everything is there: the summary with "send".
    Summary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Draft {
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
    #[serde(default)]
    pub place: Option<GeoPoint>,
    #[serde(default)]
    pub step: Step,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub missing: Vec<String>,
    #[serde(default)]
    pub problem: Option<Problem>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The chat shows the reply keyboard of the collecting step (the place button): it is taken away when
    /// the confirmation ends, and only then, since that costs a message of its own.
    #[serde(default)]
    pub keyboard_shown: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("at most {MAX_PHOTOS} photos")]
    TooManyPhotos,
    #[error("this photo was already added")]
    SamePhoto,
    #[error("a delivery received needs a photo")]
    NoPhoto,
    #[error("no item was marked missing")]
    NoItemsMissing,
    #[error("no reason was chosen")]
    NoProblem,
    #[error("too short")]
    TooShort,
    #[error("too long")]
    TooLong,
    #[error("not now")]
    WrongStep,
}

/// How a photo joined the draft, so the chat answers an album once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// The first picture: time to ask for the outcome.
    First,
    /// Another picture, in its own message.
    Another,
    /// One more picture of an album already answered.
    SameAlbum,
}

/// What a typed text became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    Note,
    ProblemDetail,
}

impl Draft {
    /// A draft that starts with pictures sent before the delivery was known.
    pub fn with_photos(photos: Vec<PhotoRef>, place: Option<GeoPoint>) -> Draft {
        Draft {
            photos,
            place,
            ..Draft::default()
        }
    }

    pub fn add_photo(&mut self, photo: PhotoRef) -> Result<Added, DraftError> {
        if self
            .photos
            .iter()
            .any(|p| p.file_unique_id == photo.file_unique_id)
        {
            return Err(DraftError::SamePhoto);
        }
        if self.photos.len() >= MAX_PHOTOS {
            return Err(DraftError::TooManyPhotos);
        }
        let same_album =
            photo.album.is_some() && self.photos.iter().any(|p| p.album == photo.album);
        self.photos.push(photo);
        Ok(if same_album {
            Added::SameAlbum
        } else if self.photos.len() == 1 {
            Added::First
        } else {
            Added::Another
        })
    }

    pub fn set_place(&mut self, place: GeoPoint) {
        self.place = Some(place);
    }

    /// The outcome: received in full goes straight to the summary, with issues asks which items, not
    /// received asks why. A delivery received needs at least one photo.
    pub fn choose(&mut self, outcome: Outcome) -> Result<(), DraftError> {
        if outcome.needs_photo() && self.photos.is_empty() {
            return Err(DraftError::NoPhoto);
        }
        if self.outcome != Some(outcome) {
            self.missing.clear();
            self.problem = None;
            self.detail = None;
        }
        self.outcome = Some(outcome);
        self.step = match outcome {
            Outcome::Full => Step::Summary,
            Outcome::Partial => Step::Items,
            Outcome::NotReceived => Step::Problem,
        };
        Ok(())
    }

    /// Marks an item missing, or not missing any more.
    pub fn toggle_item(&mut self, item: &str) -> Result<(), DraftError> {
        if self.outcome != Some(Outcome::Partial) {
            return Err(DraftError::WrongStep);
        }
        match self.missing.iter().position(|m| m == item) {
            Some(i) => {
                self.missing.remove(i);
            }
            None => self.missing.push(item.to_owned()),
        }
        Ok(())
    }

    pub fn items_done(&mut self) -> Result<(), DraftError> {
        if self.outcome != Some(Outcome::Partial) {
            return Err(DraftError::WrongStep);
        }
        if self.missing.is_empty() {
            return Err(DraftError::NoItemsMissing);
        }
        self.step = Step::Summary;
        Ok(())
    }

    /// Why it was not received; "other" asks for it in words.
    pub fn choose_problem(&mut self, problem: Problem) -> Result<(), DraftError> {
        if self.outcome != Some(Outcome::NotReceived) {
            return Err(DraftError::WrongStep);
        }
        self.problem = Some(problem);
        self.step = if problem == Problem::Other {
            Step::ProblemText
        } else {
            Step::Summary
        };
        Ok(())
    }

    /// "Add a note": the next text is the note.
    pub fn ask_note(&mut self) {
        self.step = Step::Note;
    }

    /// A typed text: the problem in words when that was asked, otherwise the note (a volunteer who types
    /// something while sending photos means it as a note).
    pub fn text(&mut self, text: &str) -> Result<Typed, DraftError> {
        let text = text.trim();
        if self.step == Step::ProblemText {
            if text.chars().count() < MIN_DETAIL_CHARS {
                return Err(DraftError::TooShort);
            }
            if text.chars().count() > MAX_DETAIL_CHARS {
                return Err(DraftError::TooLong);
            }
            self.detail = Some(text.to_owned());
            self.step = Step::Summary;
            return Ok(Typed::ProblemDetail);
        }
        if text.is_empty() {
            return Err(DraftError::TooShort);
        }
        if text.chars().count() > MAX_NOTE_CHARS {
            return Err(DraftError::TooLong);
        }
        self.note = Some(text.to_owned());
        if self.step == Step::Note {
            self.step = Step::Summary;
        }
        Ok(Typed::Note)
    }

    /// The finished confirmation, or what is still missing.
    pub fn ready(&self) -> Result<Outcome, DraftError> {
        let outcome = self.outcome.ok_or(DraftError::WrongStep)?;
        if outcome.needs_photo() && self.photos.is_empty() {
            return Err(DraftError::NoPhoto);
        }
        match outcome {
            Outcome::Partial if self.missing.is_empty() => Err(DraftError::NoItemsMissing),
            Outcome::NotReceived if self.problem.is_none() => Err(DraftError::NoProblem),
            Outcome::NotReceived
                if self.problem == Some(Problem::Other) && self.detail.is_none() =>
            {
                Err(DraftError::TooShort)
            }
            _ => Ok(outcome),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(id: &str, album: Option<&str>) -> PhotoRef {
        PhotoRef {
            file_id: format!("f-{id}"),
            file_unique_id: format!("u-{id}"),
            as_document: false,
            album: album.map(str::to_owned),
            received_ms: 0,
        }
    }

    #[test]
    fn an_album_is_answered_once() {
        let mut d = Draft::default();
        assert_eq!(d.add_photo(photo("a", Some("g1"))), Ok(Added::First));
        assert_eq!(d.add_photo(photo("b", Some("g1"))), Ok(Added::SameAlbum));
        assert_eq!(d.add_photo(photo("c", Some("g1"))), Ok(Added::SameAlbum));
        assert_eq!(d.add_photo(photo("d", None)), Ok(Added::Another));
        assert_eq!(d.add_photo(photo("e", Some("g2"))), Ok(Added::Another));
        assert_eq!(d.photos.len(), 5);
    }

    #[test]
    fn the_same_photo_twice_and_too_many_are_refused() {
        let mut d = Draft::default();
        assert!(d.add_photo(photo("a", None)).is_ok());
        assert_eq!(d.add_photo(photo("a", None)), Err(DraftError::SamePhoto));
        for i in 1..MAX_PHOTOS {
            assert!(d.add_photo(photo(&i.to_string(), None)).is_ok());
        }
        assert_eq!(
            d.add_photo(photo("x", None)),
            Err(DraftError::TooManyPhotos)
        );
    }

    #[test]
    fn received_needs_a_photo_not_received_does_not() {
        let mut d = Draft::default();
        assert_eq!(d.choose(Outcome::Full), Err(DraftError::NoPhoto));
        assert_eq!(d.choose(Outcome::Partial), Err(DraftError::NoPhoto));
        assert_eq!(d.choose(Outcome::NotReceived), Ok(()));
        assert_eq!(d.step, Step::Problem);
        assert_eq!(d.ready(), Err(DraftError::NoProblem));
        d.choose_problem(Problem::NobodyHome).unwrap();
        assert_eq!(d.step, Step::Summary);
        assert_eq!(d.ready(), Ok(Outcome::NotReceived));
    }

    #[test]
    fn full_goes_to_the_summary() {
        let mut d = Draft::default();
        d.add_photo(photo("a", None)).unwrap();
        d.choose(Outcome::Full).unwrap();
        assert_eq!(d.step, Step::Summary);
        assert_eq!(d.ready(), Ok(Outcome::Full));
    }

    #[test]
    fn partial_needs_at_least_one_missing_item() {
        let mut d = Draft::default();
        d.add_photo(photo("a", None)).unwrap();
        d.choose(Outcome::Partial).unwrap();
        assert_eq!(d.step, Step::Items);
        assert_eq!(d.items_done(), Err(DraftError::NoItemsMissing));
        d.toggle_item("telur").unwrap();
        d.toggle_item("susu").unwrap();
        d.toggle_item("telur").unwrap();
        assert_eq!(d.missing, vec!["susu".to_owned()]);
        d.items_done().unwrap();
        assert_eq!(d.ready(), Ok(Outcome::Partial));
        // Changing the outcome forgets the items of the old one.
        d.choose(Outcome::Full).unwrap();
        assert!(d.missing.is_empty());
        assert_eq!(d.toggle_item("susu"), Err(DraftError::WrongStep));
    }

    #[test]
    fn other_problem_is_told_in_words() {
        let mut d = Draft::default();
        d.choose(Outcome::NotReceived).unwrap();
        d.choose_problem(Problem::Other).unwrap();
        assert_eq!(d.step, Step::ProblemText);
        assert_eq!(d.ready(), Err(DraftError::TooShort));
        assert_eq!(d.text("ok"), Err(DraftError::TooShort));
        assert_eq!(
            d.text("rumah terkunci, tetangga bilang pindah"),
            Ok(Typed::ProblemDetail)
        );
        assert_eq!(d.ready(), Ok(Outcome::NotReceived));
    }

    #[test]
    fn text_is_the_note_elsewhere() {
        let mut d = Draft::default();
        assert_eq!(d.text("  diterima ibunya  "), Ok(Typed::Note));
        assert_eq!(d.note.as_deref(), Some("diterima ibunya"));
        assert_eq!(d.step, Step::Photos);
        d.ask_note();
        assert_eq!(
            d.text(&"x".repeat(MAX_NOTE_CHARS + 1)),
            Err(DraftError::TooLong)
        );
        assert_eq!(d.text("catatan baru"), Ok(Typed::Note));
        assert_eq!(d.step, Step::Summary);
    }

    #[test]
    fn an_old_stored_dialogue_still_reads() {
        let d: Draft = serde_json::from_str("{}").unwrap();
        assert_eq!(d, Draft::default());
    }
}
