//! `serde` support for [`AnyCode`]: any number (de)serialises as itself, known or not.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{AnyCode, CodeFamily};

impl<F: CodeFamily> Serialize for AnyCode<F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u16(self.code())
    }
}

impl<'de, F: CodeFamily> Deserialize<'de> for AnyCode<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        u16::deserialize(deserializer).map(AnyCode::from_code)
    }
}
