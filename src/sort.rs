//! Sorting the short, nearly ordered lists of matches a check produces.
//!
//! Matchers find their hits in text order, a few out of place, so an insertion sort does
//! about one comparison per item. The standard sorts are faster on long shuffled input
//! but each use instantiates kilobytes of code in the wasm module, whose size is
//! budgeted; this one costs a few dozen bytes per use. It is stable.

/// Sorts `items` by `key`, keeping equal items in their order. Linear on sorted input,
/// quadratic in the number of items out of place.
pub fn nearly_sorted_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && key(&items[j - 1]) > key(&items[j]) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_keeps_equal_items_in_order() {
        let mut v = vec![(3, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        nearly_sorted_by_key(&mut v, |p| p.0);
        assert_eq!(v, vec![(0, 'e'), (1, 'b'), (1, 'd'), (2, 'c'), (3, 'a')]);
        let mut empty: Vec<u8> = Vec::new();
        nearly_sorted_by_key(&mut empty, |&b| b);
        let mut many: Vec<u32> = (0..500).rev().collect();
        nearly_sorted_by_key(&mut many, |&n| n);
        assert!(many.windows(2).all(|w| w[0] <= w[1]));
    }
}
