"""ECS's S3 features checked with boto3, a third-party client, against a running ecs-sim.

Run by tests/boto3.rs with ECS_S3_URL, ECS_ACCESS_KEY and ECS_SECRET_KEY set; exits non-zero
on the first failed check, naming it.
"""

import datetime
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

s3 = boto3.client(
    "s3",
    endpoint_url=os.environ["ECS_S3_URL"],
    aws_access_key_id=os.environ["ECS_ACCESS_KEY"],
    aws_secret_access_key=os.environ["ECS_SECRET_KEY"],
    region_name="us-east-1",
    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
)

CHECKS = 0


def check(what, condition):
    global CHECKS
    CHECKS += 1
    if not condition:
        sys.exit(f"FAILED: {what}")


def fails(what, code, status, call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as err:
        got = (err.response["Error"]["Code"], err.response["ResponseMetadata"]["HTTPStatusCode"])
        check(f"{what}: {got} == {(code, status)}", got == (code, status))
        return
    check(f"{what}: expected {code}", False)


def later(days):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)


# Object Lock.
s3.create_bucket(Bucket="py-plain")
s3.create_bucket(Bucket="py-worm", ObjectLockEnabledForBucket=True)
check("lock forces versioning", s3.get_bucket_versioning(Bucket="py-worm")["Status"] == "Enabled")
fails("suspend versioning", "InvalidBucketState", 409, s3.put_bucket_versioning,
      Bucket="py-worm", VersioningConfiguration={"Status": "Suspended"})
fails("no lock config", "ObjectLockConfigurationNotFoundError", 404,
      s3.get_object_lock_configuration, Bucket="py-plain")
s3.put_object_lock_configuration(
    Bucket="py-worm",
    ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}},
    },
)
config = s3.get_object_lock_configuration(Bucket="py-worm")["ObjectLockConfiguration"]
check("default retention", config["Rule"]["DefaultRetention"] == {"Mode": "GOVERNANCE", "Days": 1})
v1 = s3.put_object(Bucket="py-worm", Key="doc", Body=b"one")["VersionId"]
head = s3.head_object(Bucket="py-worm", Key="doc")
check("head shows the mode", head["ObjectLockMode"] == "GOVERNANCE")
check("head shows the date", head["ObjectLockRetainUntilDate"] > later(0.99))
fails("delete retained version", "AccessDenied", 403, s3.delete_object,
      Bucket="py-worm", Key="doc", VersionId=v1)
marker = s3.delete_object(Bucket="py-worm", Key="doc")
check("plain delete adds a marker", marker["DeleteMarker"] is True)
fails("shorten governance", "AccessDenied", 403, s3.put_object_retention, Bucket="py-worm",
      Key="doc", VersionId=v1, Retention={"Mode": "GOVERNANCE", "RetainUntilDate": later(0.5)})
s3.delete_object(Bucket="py-worm", Key="doc", VersionId=v1, BypassGovernanceRetention=True)
vc = s3.put_object(Bucket="py-worm", Key="c", Body=b"c", ObjectLockMode="COMPLIANCE",
                   ObjectLockRetainUntilDate=later(2))["VersionId"]
retention = s3.get_object_retention(Bucket="py-worm", Key="c", VersionId=vc)["Retention"]
check("compliance retention", retention["Mode"] == "COMPLIANCE")
fails("delete compliance with bypass", "AccessDenied", 403, s3.delete_object,
      Bucket="py-worm", Key="c", VersionId=vc, BypassGovernanceRetention=True)
fails("legal hold never set", "NoSuchObjectLockConfiguration", 404, s3.get_object_legal_hold,
      Bucket="py-worm", Key="c")
s3.put_object_legal_hold(Bucket="py-worm", Key="c", LegalHold={"Status": "ON"})
check("legal hold on",
      s3.get_object_legal_hold(Bucket="py-worm", Key="c")["LegalHold"]["Status"] == "ON")
batch = s3.delete_objects(Bucket="py-worm", Delete={"Objects": [{"Key": "c", "VersionId": vc}]})
check("batch delete refuses the locked version",
      [e["Code"] for e in batch.get("Errors", [])] == ["AccessDenied"])
fails("legal hold on a plain bucket", "InvalidRequest", 400, s3.put_object_legal_hold,
      Bucket="py-plain", Key="x", LegalHold={"Status": "ON"})

# Tagging.
s3.put_object(Bucket="py-plain", Key="t", Body=b"t", Tagging="team=blue&cost%20center=42")
tags = s3.get_object_tagging(Bucket="py-plain", Key="t")["TagSet"]
check("tags from the header", tags == [{"Key": "team", "Value": "blue"},
                                       {"Key": "cost center", "Value": "42"}])
check("tag count on GET", s3.get_object(Bucket="py-plain", Key="t")["TagCount"] == 2)
eleven = [{"Key": f"k{i}", "Value": "v"} for i in range(11)]
fails("eleven object tags", "InvalidTag", 400, s3.put_object_tagging,
      Bucket="py-plain", Key="t", Tagging={"TagSet": eleven})
fails("long tag key", "InvalidTag", 400, s3.put_object_tagging, Bucket="py-plain", Key="t",
      Tagging={"TagSet": [{"Key": "k" * 129, "Value": "v"}]})
fails("long tag value", "InvalidTag", 400, s3.put_object_tagging, Bucket="py-plain", Key="t",
      Tagging={"TagSet": [{"Key": "k", "Value": "v" * 257}]})
s3.put_object_tagging(Bucket="py-plain", Key="t", Tagging={"TagSet": eleven[:10]})
s3.delete_object_tagging(Bucket="py-plain", Key="t")
check("tags removed", s3.get_object_tagging(Bucket="py-plain", Key="t")["TagSet"] == [])
fails("no bucket tags", "NoSuchTagSet", 404, s3.get_bucket_tagging, Bucket="py-plain")
s3.put_bucket_tagging(Bucket="py-plain", Tagging={"TagSet": [{"Key": "env", "Value": "test"}]})
check("bucket tags", s3.get_bucket_tagging(Bucket="py-plain")["TagSet"]
      == [{"Key": "env", "Value": "test"}])
fails("eleven bucket tags", "InvalidTag", 400, s3.put_bucket_tagging,
      Bucket="py-plain", Tagging={"TagSet": eleven})
s3.delete_bucket_tagging(Bucket="py-plain")

print(f"boto3 {boto3.__version__}: {CHECKS} checks passed")
