//! The check digit shared by IIN and BIN (the 12th digit).

const FIRST_PASS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_PASS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit for the first 11 digits, or `None` when both passes give 10:
/// such numbers are never issued.
pub(crate) fn check_digit(body: &[u8; 11]) -> Option<u8> {
    [FIRST_PASS, SECOND_PASS]
        .iter()
        .map(|weights| {
            body.iter()
                .zip(weights)
                .map(|(&d, &w)| u32::from(d) * w)
                .sum::<u32>()
                % 11
        })
        .find(|&c| c != 10)
        .map(|c| c as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_pass_is_enough_for_most_numbers() {
        assert_eq!(check_digit(&[8, 5, 0, 1, 1, 5, 3, 0, 1, 2, 3]), Some(8));
    }

    #[test]
    fn second_pass_is_used_when_the_first_gives_ten() {
        assert_eq!(check_digit(&[9, 2, 0, 7, 2, 4, 4, 0, 5, 6, 7]), Some(3));
    }
}
