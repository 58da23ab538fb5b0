//! What IIN and BIN share: 12 digits, the 12th a check digit over the first 11.

const FIRST_PASS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_PASS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit for the first 11 digits, or `None` when both passes give 10:
/// such numbers are never issued.
pub(crate) fn check_digit(body: &[u8; 11]) -> Option<u8> {
    [FIRST_PASS, SECOND_PASS]
        .iter()
        .map(|weights| weighted_sum(body, weights) % 11)
        .find(|&c| c != 10)
        .map(|c| c as u8)
}

/// Whether the second pass is needed for this body (the first gives 10). The
/// property tests need it to say exactly which single-digit changes are caught.
#[cfg(test)]
pub(crate) fn needs_second_pass(body: &[u8; 11]) -> bool {
    weighted_sum(body, &FIRST_PASS) % 11 == 10
}

fn weighted_sum(body: &[u8; 11], weights: &[u32; 11]) -> u32 {
    body.iter()
        .zip(weights)
        .map(|(&d, &w)| u32::from(d) * w)
        .sum()
}

/// What can be wrong with a 12-digit identifier before its meaning is looked at.
/// Each identifier maps it onto its own error enum, so the codes name the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DigitsError {
    NotDigits,
    Length,
    CheckDigit,
    NeverIssued,
}

/// The 12 digits' values, in this order of checks: characters, length, checksum.
/// Characters first, so that a letter typed early is named before "too short".
pub(crate) fn twelve_digits(s: &str) -> Result<[u8; 12], DigitsError> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DigitsError::NotDigits);
    }
    let bytes: &[u8; 12] = s.as_bytes().try_into().map_err(|_| DigitsError::Length)?;
    let digits = bytes.map(|b| b - b'0');
    let (body, check) = digits.split_at(11);
    let body: &[u8; 11] = body.try_into().expect("11 of 12 digits");
    match check_digit(body) {
        None => Err(DigitsError::NeverIssued),
        Some(c) if c != check[0] => Err(DigitsError::CheckDigit),
        Some(_) => Ok(digits),
    }
}

/// Two decimal digits as a number: the YY, MM and DD fields.
pub(crate) fn two_digits(tens: u8, ones: u8) -> u8 {
    tens * 10 + ones
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_pass_is_enough_for_most_numbers() {
        let body = [8, 5, 0, 1, 1, 5, 3, 0, 1, 2, 3];
        assert!(!needs_second_pass(&body));
        assert_eq!(check_digit(&body), Some(8));
    }

    #[test]
    fn second_pass_is_used_when_the_first_gives_ten() {
        let body = [9, 2, 0, 7, 2, 4, 4, 0, 5, 6, 7];
        assert!(needs_second_pass(&body));
        assert_eq!(check_digit(&body), Some(3));
    }

    #[test]
    fn both_passes_giving_ten_means_never_issued() {
        // Weighted sums 186 and 142, both ≡ 10 (mod 11).
        let body = [8, 5, 0, 1, 1, 5, 3, 0, 0, 2, 8];
        assert!(needs_second_pass(&body));
        assert_eq!(check_digit(&body), None);
        for last in 0..=9 {
            assert_eq!(
                twelve_digits(&format!("85011530028{last}")),
                Err(DigitsError::NeverIssued)
            );
        }
    }

    #[test]
    fn checks_come_in_order() {
        assert_eq!(twelve_digits("85011530123a"), Err(DigitsError::NotDigits));
        assert_eq!(twelve_digits("8501a"), Err(DigitsError::NotDigits));
        assert_eq!(twelve_digits(""), Err(DigitsError::Length));
        assert_eq!(twelve_digits("8501153012389"), Err(DigitsError::Length));
        assert_eq!(twelve_digits("850115301239"), Err(DigitsError::CheckDigit));
        assert_eq!(
            twelve_digits("850115301238"),
            Ok([8, 5, 0, 1, 1, 5, 3, 0, 1, 2, 3, 8])
        );
    }
}
