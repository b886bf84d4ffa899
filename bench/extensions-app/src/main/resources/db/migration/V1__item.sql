create table item (id varchar(64) primary key, name varchar(64));
