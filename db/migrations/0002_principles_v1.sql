-- The first version of the shared principles: product content, present on every
-- database (not demo data). Later versions are added by later migrations or by admins.
INSERT INTO "principles_versions" ("version", "title", "body", "published_at")
VALUES (1, $t$Convene's shared principles$t$, $b$We convene to make research on poverty and inequality in the UK more useful, more
honest and less wasteful. By signing, we commit to these principles.

## 1. Open by default
We share what we are working on, our methods and our data sources, as early as we can.
When something cannot be shared (personal data, unpublished embargoed work) we say so,
rather than staying silent.

## 2. Lived experience is expertise
People with direct experience of poverty shape questions, methods and conclusions from the
start, not as an afterthought. We pay them for their time and expertise, and we credit them.

## 3. Do not duplicate, divide
Before starting work on a political moment we check what others are already doing. We claim
the questions we will really answer, release the ones we cannot, and join existing teams
rather than racing them.

## 4. Credit others
We name the organisations and people whose work, data or ideas we build on, in our outputs
and when we speak about them.

## 5. Accessible by design
We run events and publish outputs that disabled people can take part in fully: captions,
BSL where asked for, step-free venues, plain-language summaries.

## 6. Respect and safety
We disagree about evidence, not about people's worth. We keep discussions free of
harassment and we protect the privacy of the people whose lives our data describes.$b$, '2026-11-01T00:00:00Z')
ON CONFLICT ("version") DO NOTHING;
