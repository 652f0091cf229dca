//! `--shard k/n` splits the real suite into disjoint shards that together hold every scenario.

mod common;

use cognito_drift::run::Shard;

#[test]
fn shards_partition_the_suite() {
    let files = cognito_drift::scenario::discover(&[common::root().join("scenarios")])
        .expect("scenario files");
    let (scenarios, failed) = cognito_drift::engine::load_all(&files, "moto");
    assert!(failed.is_empty());
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.value.as_str()).collect();
    assert!(names.len() >= 10);
    for count in 1..=5 {
        let shards: Vec<Vec<&str>> = (1..=count)
            .map(|index| {
                let shard = Shard { index, count };
                names
                    .iter()
                    .copied()
                    .filter(|n| shard.contains(n))
                    .collect()
            })
            .collect();
        let mut union: Vec<&str> = shards.concat();
        union.sort_unstable();
        let mut all = names.clone();
        all.sort_unstable();
        assert_eq!(
            union, all,
            "{count} shards hold every scenario exactly once"
        );
    }
}
